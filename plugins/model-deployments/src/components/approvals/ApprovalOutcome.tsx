import Snackbar from '@material-ui/core/Snackbar';
import Alert, { Color } from '@material-ui/lab/Alert';
import { PromotionResult } from '@seed-mlops/plugin-model-deployments-common';
import { outcomeText } from './approvalText';

/** How long the outcome of a decision stays on screen, in milliseconds. */
const OUTCOME_MS = 8000;

function severityOf(result: PromotionResult): Color {
  if (result.status === 'failed') return 'error';
  if (result.status === 'pending-approval' || result.status === 'rejected') {
    return 'info';
  }
  return 'success';
}

/**
 * What a decision did, briefly: the dialog closes on success and the
 * promotion may leave the list, so the answer's message is shown here.
 */
export function ApprovalOutcome(props: {
  result?: PromotionResult;
  onClose: () => void;
}) {
  const { result } = props;
  return (
    <Snackbar
      open={Boolean(result)}
      autoHideDuration={OUTCOME_MS}
      onClose={(_event, reason) => reason !== 'clickaway' && props.onClose()}
      anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
    >
      {/* Snackbar needs one child even when closed. */}
      <Alert
        severity={result ? severityOf(result) : 'info'}
        onClose={props.onClose}
      >
        {result ? outcomeText(result) : ''}
      </Alert>
    </Snackbar>
  );
}
