import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { Environment } from '@seed-mlops/plugin-model-deployments-common';
import { useState } from 'react';
import { ChangeDialogContent, defaultStrategy } from './ChangeDialogContent';
import { usePromotion } from './usePromotion';

/**
 * Promotes a model from `source` to `target`: shows the dry run's preview,
 * lets the user pick how, then shows the commit or pull request made.
 */
export function PromoteDialog(props: {
  entityRef: string;
  source: Environment;
  target: Environment;
  onClose: () => void;
  onPromoted: () => void;
}) {
  const { entityRef, source, target } = props;
  const [strategy, setStrategy] = useState(defaultStrategy(target));
  const { preview, result, error, busy, promote } = usePromotion({
    entityRef,
    source,
    target,
    onPromoted: props.onPromoted,
  });

  const upToDate = preview?.status === 'up-to-date';
  return (
    <Dialog
      open
      onClose={props.onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="model-deployments-promote-title"
    >
      <DialogTitle id="model-deployments-promote-title">
        {`Promote from ${source.title} to ${target.title}`}
      </DialogTitle>
      <DialogContent>
        <ChangeDialogContent
          busy={busy}
          error={error}
          preview={preview}
          result={result}
          strategy={strategy}
          onStrategyChange={setStrategy}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{result ? 'Close' : 'Cancel'}</Button>
        {!result && (
          <Button
            color="primary"
            variant="contained"
            disabled={busy || !preview || upToDate}
            onClick={() => promote(strategy)}
          >
            {strategy === 'pull-request' ? 'Propose' : 'Promote'}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
