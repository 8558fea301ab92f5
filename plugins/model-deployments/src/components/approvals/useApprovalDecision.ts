import { useApi } from '@backstage/core-plugin-api';
import {
  ApprovalDecisionRequest,
  PromotionResult,
} from '@seed-mlops/plugin-model-deployments-common';
import { useState } from 'react';
import { modelDeploymentsApiRef } from '../../api';

/** The state of one approve or reject request. */
export interface ApprovalDecisionState {
  /** True while the decision is being sent (and, for the last approval, run). */
  busy: boolean;
  /** The error of the latest attempt, e.g. a 409 when it is no longer pending. */
  error?: Error;
  /** Sends the decision; see `onDecided` and `onFailed`. */
  decide: (request: ApprovalDecisionRequest) => void;
}

/**
 * Approves or rejects the promotion `promotionId`. The approval that
 * completes the required count runs the promotion, so the answer can be
 * the promotion's result (e.g. `committed`) rather than the decision's.
 * `onDecided` gets the answer when the backend accepts the decision;
 * `onFailed` is called when it refuses it (the error is then in `error`):
 * a refusal usually means the promotion changed meanwhile.
 */
export function useApprovalDecision(
  promotionId: string,
  onDecided: (result: PromotionResult) => void,
  onFailed?: (error: Error) => void,
): ApprovalDecisionState {
  const api = useApi(modelDeploymentsApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();

  const decide = (request: ApprovalDecisionRequest) => {
    setBusy(true);
    setError(undefined);
    api
      .decideApproval(promotionId, request)
      .then(onDecided, (e: unknown) => {
        const failure = e instanceof Error ? e : new Error(String(e));
        setError(failure);
        onFailed?.(failure);
      })
      .finally(() => setBusy(false));
  };

  return { busy, error, decide };
}
