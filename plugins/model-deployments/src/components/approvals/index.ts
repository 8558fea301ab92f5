export { ApprovalButtons } from './ApprovalButtons';
export type { ApprovalChoice } from './ApprovalDialog';
export { ApprovalSummary } from './ApprovalSummary';
export { useApprovalDialog } from './useApprovalDialog';
export type { DecideApproval } from './useApprovalDialog';
export { approvalExpired, canDecideNow } from './approvalTime';
export { dryRunText, progressText, waitingText } from './approvalText';
