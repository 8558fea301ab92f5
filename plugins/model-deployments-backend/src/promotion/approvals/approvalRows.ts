import {
  PromotionApproval,
  PromotionRecord,
} from '@seed-mlops/plugin-model-deployments-common';
import { PromotionRow, toRecord } from '../promotionRows';

export const PENDING = 'pending-approval';

/** What an approved promotion writes, kept from when it was asked for. */
export interface PendingChange {
  request: {
    entityRef: string;
    from: string;
    to: string;
    force?: boolean;
    /** Forced while the target was frozen: a freeze does not hold it. */
    forcedFreeze?: boolean;
  };
  files: Array<{ path: string; object: Record<string, unknown> }>;
  /** The diff against the target when it was asked for, shown to approvers. */
  diff: string;
}

/** A promotion waiting for approval, or one that waited. */
export interface ApprovalEntry {
  record: PromotionRecord;
  approval: Omit<PromotionApproval, 'canDecide'> & { expiresAt: string };
  change: PendingChange;
}

/** A row of `promotion_approvals` (migrations/). */
export interface ApprovalRow {
  promotion_id: string;
  required: number;
  groups: string;
  expires_at: Date | string;
  change: string;
}

/** A row of `promotion_approval_decisions`. */
export interface DecisionRow {
  promotion_id: string;
  approver: string;
  decision: 'approved' | 'rejected';
  comment: string | null;
  created_at: Date | string;
}

/** A waiting (or decided) promotion's rows as the service reads them. */
export function toEntry(
  row: PromotionRow & ApprovalRow,
  decisions: DecisionRow[],
): ApprovalEntry {
  const change: PendingChange = JSON.parse(row.change);
  return {
    record: toRecord(row),
    approval: {
      required: row.required,
      groups: JSON.parse(row.groups),
      expiresAt: new Date(row.expires_at).toISOString(),
      decisions: decisions.map(d => ({
        by: d.approver,
        decision: d.decision,
        ...(d.comment ? { comment: d.comment } : {}),
        at: new Date(d.created_at).toISOString(),
      })),
      // Only while it waits: what the approvers decide on.
      ...(row.status === PENDING && change.diff ? { diff: change.diff } : {}),
    },
    change,
  };
}
