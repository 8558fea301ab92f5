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
  /**
   * True when `preview` answers a forced dry run. A preview is kept while
   * the next dry run is asked and when it fails, so this says which it is.
   */
  forced: boolean;
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
 * a dry run right away, and again whenever `force` changes, and rolls back
 * on demand (forced when `force` is).
 */
export function useRollback(options: {
  entityRef: string;
  environment: string;
  to: RollbackTarget;
  /** Roll back into an environment in a freeze window. */
  force?: boolean;
  onRolledBack: () => void;
}): RollbackRequests {
  const api = useApi(modelDeploymentsApiRef);
  const { entityRef, environment, to, onRolledBack } = options;
  const force = Boolean(options.force);
  const [preview, setPreview] = useState<PromotionResult>();
  const [forced, setForced] = useState(false);
  const [result, setResult] = useState<PromotionResult>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(true);
  const key = keyOf(to);

  useEffect(() => {
    // Drops a late answer once the dialog is closed or asks about another target.
    let current = true;
    setBusy(true);
    setError(undefined);
    api
      .rollback({
        entityRef,
        environment,
        to,
        dryRun: true,
        // Only sent when set: a forced dry run needs the force-promote permission.
        ...(force ? { force } : {}),
      })
      .then(
        value => {
          if (!current) return;
          setPreview(value);
          setForced(force);
        },
        (e: Error) => current && setError(e),
      )
      .finally(() => current && setBusy(false));
    return () => {
      current = false;
    };
    // `to` is followed through its key: callers pass a new object each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, entityRef, environment, key, force]);

  const rollBack = (strategy: PromotionStrategy) => {
    setBusy(true);
    setError(undefined);
    api
      .rollback({
        entityRef,
        environment,
        to,
        strategy,
        ...(force ? { force } : {}),
        dryRun: false,
      })
      .then(value => {
        setResult(value);
        onRolledBack();
      }, setError)
      .finally(() => setBusy(false));
  };

  return { preview, forced, result, error, busy, rollBack };
}
