import Alert from '@material-ui/lab/Alert';
import {
  PromotionApproval,
  PromotionStrategy,
} from '@seed-mlops/plugin-model-deployments-common';
import { dryRunText } from '../approvals';
import { usePromoteStyles } from './promoteStyles';

/**
 * The promote dialog's word on a target that requires approval, from the
 * dry run: a commit waits until enough approvers agree. A pull request is
 * not held: its review is the approval.
 */
export function ApprovalNeededAlert(props: {
  approval: PromotionApproval;
  strategy: PromotionStrategy;
}) {
  const classes = usePromoteStyles();
  const { approval, strategy } = props;
  return (
    <Alert severity="info" className={classes.section}>
      {strategy === 'commit'
        ? `${dryRunText(approval)}.`
        : `A pull request is not held for approval: its review is the approval. A commit would wait: ${dryRunText(
            approval,
          ).replace(/^Needs approval: /, '')}.`}
    </Alert>
  );
}
