import { PromotionRecord } from '@seed-mlops/plugin-model-deployments-common';
import { ReactNode, useCallback, useState } from 'react';
import { ApprovalChoice, ApprovalDialog } from './ApprovalDialog';
import { ApprovalOutcome, DecisionOutcome } from './ApprovalOutcome';

/** What the list offers its items: open the dialog for a promotion. */
export type DecideApproval = (
  promotion: PromotionRecord,
  decision: ApprovalChoice,
) => void;

/**
 * The approve/reject dialog and the outcome of a list of promotions. It is
 * kept by the list, not the item: a decided promotion changes status or
 * leaves the list when it reloads, and the outcome must outlive it.
 * `reload` reloads what the decision changed; it is also called when the
 * backend refuses a decision, which usually means the promotion changed
 * meanwhile (decided by someone else, expired), while the dialog stays
 * open with the refusal.
 */
export function useApprovalDialog(reload: () => void): {
  decide: DecideApproval;
  /** The dialog while one is open, and the latest outcome; render it once. */
  dialog: ReactNode;
} {
  const [open, setOpen] = useState<{
    promotion: PromotionRecord;
    decision: ApprovalChoice;
  }>();
  const [outcome, setOutcome] = useState<DecisionOutcome>();
  const decide = useCallback<DecideApproval>(
    (promotion, decision) => setOpen({ promotion, decision }),
    [],
  );
  const dialog = (
    <>
      {open && (
        <ApprovalDialog
          // A new dialog, with an empty comment, for each promotion and choice.
          key={`${open.promotion.id}:${open.decision}`}
          promotion={open.promotion}
          decision={open.decision}
          onClose={() => setOpen(undefined)}
          onDecided={result => {
            setOpen(undefined);
            setOutcome({ decision: open.decision, result });
            reload();
          }}
          onFailed={reload}
        />
      )}
      <ApprovalOutcome
        outcome={outcome}
        onClose={() => setOutcome(undefined)}
      />
    </>
  );
  return { decide, dialog };
}
