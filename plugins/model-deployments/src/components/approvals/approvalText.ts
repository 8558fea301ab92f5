import {
  PromotionApproval,
  PromotionResult,
} from '@seed-mlops/plugin-model-deployments-common';
import { humanizeRef } from '../../utils/format';

/** The approval groups as people read them: `release-managers, platform-admins`. */
export function groupNames(approval: PromotionApproval): string {
  return approval.groups.map(group => humanizeRef(group, 'group')).join(', ');
}

/** How many approvals a promotion has so far. */
export function approvedCount(approval: PromotionApproval): number {
  return approval.decisions.filter(d => d.decision === 'approved').length;
}

const approvals = (count: number) =>
  `${count} approval${count === 1 ? '' : 's'}`;

/** "Needs 1 approval from release-managers, platform-admins". */
export function needsText(approval: PromotionApproval): string {
  return `Needs ${approvals(approval.required)} from ${groupNames(approval)}`;
}

/** A settled promotion's policy, in the past: "Required 1 approval from …". */
export function requiredText(approval: PromotionApproval): string {
  return `Required ${approvals(approval.required)} from ${groupNames(
    approval,
  )}`;
}

/** The fleet's progress column: "1 of 2 approvals". */
export function progressText(approval: PromotionApproval): string {
  return `${approvedCount(approval)} of ${approvals(approval.required)}`;
}

/** The promote dialog's word on a dry run into an environment that requires approval. */
export function dryRunText(approval: PromotionApproval): string {
  return `Needs approval: ${approval.required} of ${groupNames(
    approval,
  )} must approve before it runs`;
}

/** The promote dialog's word once a promotion is held for approval. */
export function waitingText(approval: PromotionApproval): string {
  return `Waiting for approval by ${approval.required} of ${groupNames(
    approval,
  )}`;
}

/**
 * What the answer to `decision` says: the backend's message, or when it
 * gave none, what the status means for the decision.
 */
export function outcomeText(
  result: PromotionResult,
  decision: 'approve' | 'reject',
): string {
  if (result.message) return result.message;
  const { status } = result;
  if (decision === 'reject' && status === 'rejected') return 'Rejected';
  if (decision === 'approve' && status === 'pending-approval') {
    return 'Approved; still waiting';
  }
  if (decision === 'approve' && status === 'committed') {
    return 'Approved and promoted';
  }
  if (status === 'failed') return 'The promotion failed';
  return `The promotion is ${status.replace(/-/g, ' ')}`;
}
