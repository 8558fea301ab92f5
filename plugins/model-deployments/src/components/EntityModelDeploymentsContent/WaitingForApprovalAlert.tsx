import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { PromotionResult } from '@seed-mlops/plugin-model-deployments-common';
import { Age } from '../common';
import { waitingText } from '../approvals';
import { usePromoteStyles } from './promoteStyles';

/**
 * A promotion recorded but held until approved: nothing is written yet, so
 * this replaces the "promoted" success. Approvers find it on the model's
 * promotions and on the fleet page.
 */
export function WaitingForApprovalAlert(props: { result: PromotionResult }) {
  const classes = usePromoteStyles();
  const { result } = props;
  const approval = result.approval;
  return (
    <Alert severity="info" className={classes.section}>
      <Typography variant="body2">
        {approval ? waitingText(approval) : 'Waiting for approval'}
        {approval?.expiresAt && (
          <>
            {' · '}
            <Age timestamp={approval.expiresAt} prefix="expires" />
          </>
        )}
      </Typography>
      {/* Not the result's message: it says the same as the line above. */}
      <Typography variant="body2">
        Nothing is written until then. The approvers were notified; they find it
        in this model&apos;s promotions and on the fleet page.
      </Typography>
    </Alert>
  );
}
