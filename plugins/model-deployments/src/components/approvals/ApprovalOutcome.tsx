import Snackbar from '@material-ui/core/Snackbar';
import Alert, { Color } from '@material-ui/lab/Alert';
import { PromotionResult } from '@seed-mlops/plugin-model-deployments-common';
import type { ApprovalChoice } from './ApprovalDialog';
import { outcomeText } from './approvalText';

/** How long the outcome of a decision stays on screen, in milliseconds. */
const OUTCOME_MS = 8000;

/** A decision the backend accepted, and what it answered. */
export interface DecisionOutcome {
  decision: ApprovalChoice;
  result: PromotionResult;
}

/**
 * Whether the answer is what the decision asked for. An accepted decision
 * can still be answered with another status: the promotion it completed
 * failed, or it was rejected or expired by then (a race with another
 * approver), or another approver's request is running it.
 */
export function outcomeSeverity({ decision, result }: DecisionOutcome): Color {
  const { status } = result;
  if (status === 'failed') return 'error';
  if (decision === 'reject') {
    return status === 'rejected' ? 'success' : 'warning';
  }
  // Counted and still waiting, or the last approval, which ran it.
  if (status === 'committed' || status === 'pending-approval') {
    return 'success';
  }
  // Running by another approver's request, or nothing left to write.
  if (status === 'running' || status === 'up-to-date') return 'info';
  return 'warning';
}

/**
 * What a decision did, briefly: the dialog closes on success and the
 * promotion may leave the list, so the answer's message is shown here, as
 * a success only when it is what the decision asked for.
 */
export function ApprovalOutcome(props: {
  outcome?: DecisionOutcome;
  onClose: () => void;
}) {
  const { outcome } = props;
  return (
    <Snackbar
      open={Boolean(outcome)}
      autoHideDuration={OUTCOME_MS}
      onClose={(_event, reason) => reason !== 'clickaway' && props.onClose()}
      anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
    >
      {/* Snackbar needs one child even when closed. */}
      <Alert
        severity={outcome ? outcomeSeverity(outcome) : 'info'}
        onClose={props.onClose}
      >
        {outcome ? outcomeText(outcome.result, outcome.decision) : ''}
      </Alert>
    </Snackbar>
  );
}
