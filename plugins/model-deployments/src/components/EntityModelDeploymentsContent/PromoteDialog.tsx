import { Link } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  Environment,
  PromotionResult,
  PromotionStrategy,
} from '@seed-mlops/plugin-model-deployments-common';
import { useState } from 'react';
import { PromotionPreview } from './PromotionPreview';
import { usePromoteStyles } from './promoteStyles';
import { usePromotion } from './usePromotion';

/** The backend's own message (it names the field or reason), else the error's. */
function messageOf(error: Error): string {
  return (error as ResponseError).body?.error?.message ?? error.message;
}

/** The strategy promotions into `target` use unless the user picks another. */
export function defaultStrategy(target: Environment): PromotionStrategy {
  return (
    target.gitops?.promotionStrategy ??
    (target.restricted ? 'pull-request' : 'commit')
  );
}

function ResultLink(props: { result: PromotionResult }) {
  const { result } = props;
  if (result.pullRequest) {
    return (
      <Link to={result.pullRequest.url}>
        Pull request #{result.pullRequest.number}
      </Link>
    );
  }
  if (result.commit?.url) {
    return (
      <Link to={result.commit.url}>Commit {result.commit.sha.slice(0, 7)}</Link>
    );
  }
  if (result.commit) {
    return (
      <Typography variant="body2" component="span">
        Commit <code>{result.commit.sha.slice(0, 7)}</code>
        {result.branch ? ` on branch ${result.branch}` : ''}
      </Typography>
    );
  }
  return null;
}

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
  const classes = usePromoteStyles();
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
        {busy && <LinearProgress aria-label="Working" />}
        {error && (
          <Alert severity="error" className={classes.section}>
            {messageOf(error)}
          </Alert>
        )}
        {result ? (
          <Alert severity="success" className={classes.section}>
            <Typography variant="body2">{result.message}</Typography>
            <ResultLink result={result} />
          </Alert>
        ) : (
          preview && (
            <PromotionPreview
              preview={preview}
              strategy={strategy}
              onStrategyChange={setStrategy}
            />
          )
        )}
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
