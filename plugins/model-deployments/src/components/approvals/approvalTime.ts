import {
  PromotionApproval,
  PromotionRecord,
} from '@seed-mlops/plugin-model-deployments-common';

/**
 * Whether an approval's time ran out by the clock `now` (the current time
 * unless given): the backend refuses decisions from then on and expires the
 * promotion when it next looks at it, whatever `canDecide` said at load.
 */
export function approvalExpired(
  approval: PromotionApproval | undefined,
  now: number = Date.now(),
): boolean {
  if (!approval?.expiresAt) return false;
  const expiresAt = Date.parse(approval.expiresAt);
  return !Number.isNaN(expiresAt) && expiresAt <= now;
}

/**
 * Whether Approve and Reject are offered for `promotion` now: it waits for
 * approval, the backend said the user may decide when it was loaded, and
 * its time has not run out since. The backend checks again.
 */
export function canDecideNow(
  promotion: PromotionRecord,
  now: number = Date.now(),
): boolean {
  return (
    promotion.status === 'pending-approval' &&
    Boolean(promotion.approval?.canDecide) &&
    !approvalExpired(promotion.approval, now)
  );
}
