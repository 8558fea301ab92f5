import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import {
  Environment,
  RollbackTarget,
} from '@seed-mlops/plugin-model-deployments-common';
import { useState } from 'react';
import { ChangeDialogContent, defaultStrategy } from './ChangeDialogContent';
import { usePromoteStyles } from './promoteStyles';
import { useRollback } from './useRollback';

/**
 * Rolls a model's manifests in `environment` back to `to`: shows the dry
 * run's preview, lets the user pick how, then shows the commit or pull
 * request made. Nothing is rewritten: the rollback is a new change.
 */
export function RollbackDialog(props: {
  entityRef: string;
  environment: Environment;
  to: RollbackTarget;
  /** The target as people read it: a short commit id. */
  label: string;
  /** What is restored, in a sentence. */
  description: string;
  onClose: () => void;
  onRolledBack: () => void;
}) {
  const classes = usePromoteStyles();
  const { entityRef, environment, to } = props;
  const [strategy, setStrategy] = useState(defaultStrategy(environment));
  const { preview, result, error, busy, rollBack } = useRollback({
    entityRef,
    environment: environment.name,
    to,
    onRolledBack: props.onRolledBack,
  });

  const upToDate = preview?.status === 'up-to-date';
  return (
    <Dialog
      open
      onClose={props.onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="model-deployments-rollback-title"
    >
      <DialogTitle id="model-deployments-rollback-title">
        {`Roll back ${environment.title} to ${props.label}`}
      </DialogTitle>
      <DialogContent>
        {!result && (
          <Typography variant="body2" className={classes.section}>
            {props.description} The rollback is a new commit or pull request;
            the history is not rewritten.
          </Typography>
        )}
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
            onClick={() => rollBack(strategy)}
          >
            Roll back
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
