import { useApi } from '@backstage/core-plugin-api';
import {
  PromotionResult,
  PromotionStrategy,
  RollbackTarget,
} from '@seed-mlops/plugin-model-deployments-common';
import { useEffect, useState } from 'react';
import { modelDeploymentsApiRef } from '../../api';

/** The requests of one rollback: its dry-run preview, then the real one. */
export interface RollbackRequests {
  /** The dry run's answer: what rolling back would change. */
  preview?: PromotionResult;
  /** The rollback's answer, once it succeeded. */
  result?: PromotionResult;
  /** The error of the latest request. */
  error?: Error;
  /** True while a request is in flight, the preview's included. */
  busy: boolean;
  /** Rolls back with `strategy`; calls `onRolledBack` when it succeeds. */
  rollBack: (strategy: PromotionStrategy) => void;
}

/** A stable key of a target, for effects. */
function keyOf(to: RollbackTarget): string {
  return 'promotionId' in to
    ? `promotion:${to.promotionId}`
    : `commit:${to.commit}`;
}

/**
 * Previews restoring `entityRef`'s manifests in `environment` to `to` with
 * a dry run right away, and rolls back on demand.
 */
export function useRollback(options: {
  entityRef: string;
  environment: string;
  to: RollbackTarget;
  onRolledBack: () => void;
}): RollbackRequests {
  const api = useApi(modelDeploymentsApiRef);
  const { entityRef, environment, to, onRolledBack } = options;
  const [preview, setPreview] = useState<PromotionResult>();
  const [result, setResult] = useState<PromotionResult>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(true);
  const key = keyOf(to);

  useEffect(() => {
    // Drops a late answer once the dialog is closed or asks about another target.
    let current = true;
    api
      .rollback({ entityRef, environment, to, dryRun: true })
      .then(
        value => current && setPreview(value),
        (e: Error) => current && setError(e),
      )
      .finally(() => current && setBusy(false));
    return () => {
      current = false;
    };
    // `to` is followed through its key: callers pass a new object each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, entityRef, environment, key]);

  const rollBack = (strategy: PromotionStrategy) => {
    setBusy(true);
    setError(undefined);
    api
      .rollback({ entityRef, environment, to, strategy, dryRun: false })
      .then(value => {
        setResult(value);
        onRolledBack();
      }, setError)
      .finally(() => setBusy(false));
  };

  return { preview, result, error, busy, rollBack };
}
