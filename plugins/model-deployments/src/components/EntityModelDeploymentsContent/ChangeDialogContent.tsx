import { Link } from '@backstage/core-components';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  Environment,
  PromotionResult,
  PromotionStrategy,
} from '@seed-mlops/plugin-model-deployments-common';
import { ReactNode } from 'react';
import { messageOf } from '../../utils/errors';
import { PromotionPreview } from './PromotionPreview';
import { usePromoteStyles } from './promoteStyles';
import { WaitingForApprovalAlert } from './WaitingForApprovalAlert';

/**
 * The strategy promotions and rollbacks into `target` use unless the user
 * picks another.
 */
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
 * The body of the promote and roll back dialogs: progress, the latest
 * error, then the dry run's preview until the change is made, and the
 * commit or pull request made after, or that it waits for approval.
 */
export function ChangeDialogContent(props: {
  busy: boolean;
  error?: Error;
  preview?: PromotionResult;
  result?: PromotionResult;
  strategy: PromotionStrategy;
  onStrategyChange: (strategy: PromotionStrategy) => void;
  /** Shown with the preview, after its message: a freeze, gates, forcing. */
  verification?: ReactNode;
}) {
  const classes = usePromoteStyles();
  const { busy, error, preview, result } = props;
  return (
    <>
      {busy && <LinearProgress aria-label="Working" />}
      {error && (
        <Alert severity="error" className={classes.section}>
          {messageOf(error)}
        </Alert>
      )}
      {result?.status === 'pending-approval' && (
        <WaitingForApprovalAlert result={result} />
      )}
      {result && result.status !== 'pending-approval' && (
        <Alert severity="success" className={classes.section}>
          <Typography variant="body2">{result.message}</Typography>
          <ResultLink result={result} />
        </Alert>
      )}
      {!result && preview && (
        <PromotionPreview
          preview={preview}
          strategy={props.strategy}
          onStrategyChange={props.onStrategyChange}
          verification={props.verification}
        />
      )}
    </>
  );
}
