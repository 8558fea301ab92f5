import type { PromotionRecord } from './promotion';

/**
 * An approver's decision on a promotion waiting for approval.
 *
 * @public
 */
export interface ApprovalDecision {
  /** The approver's user entity ref. */
  by: string;
  decision: 'approved' | 'rejected';
  comment?: string;
  at: string;
}

/**
 * What a promotion into an environment that requires approval waits for,
 * and who has decided.
 *
 * @public
 */
export interface PromotionApproval {
  /** How many approvals it needs. */
  required: number;
  /** The groups (entity refs) whose members may approve, the requester excepted. */
  groups: string[];
  /** When an undecided promotion expires; absent on a dry run. */
  expiresAt?: string;
  /** The decisions so far, oldest first. */
  decisions: ApprovalDecision[];
  /**
   * While it waits: the unified diff of the target's files when it was
   * asked for, which is what an approval writes.
   */
  diff?: string;
  /**
   * Whether the caller may approve or reject it now: pending, a member of
   * one of the groups, not the requester, not decided yet.
   */
  canDecide?: boolean;
}

/**
 * `POST /promotions/{id}/decisions` body: approve or reject a promotion
 * waiting for approval.
 *
 * @public
 */
export interface ApprovalDecisionRequest {
  decision: 'approve' | 'reject';
  /** Shown to the requester; required to reject. */
  comment?: string;
}

/**
 * Response of `GET /approvals`: the promotions waiting for approval that the
 * caller may see, oldest first, with whether they may decide each.
 *
 * @public
 */
export interface PendingApprovalsResponse {
  promotions: PromotionRecord[];
}
