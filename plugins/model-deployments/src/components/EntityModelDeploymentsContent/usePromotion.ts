import { useApi } from '@backstage/core-plugin-api';
import {
  Environment,
  PromotionResult,
  PromotionStrategy,
} from '@seed-mlops/plugin-model-deployments-common';
import { useEffect, useState } from 'react';
import { modelDeploymentsApiRef } from '../../api';

/** The requests of one promotion: its dry-run preview, then the real one. */
export interface PromotionRequests {
  /** The dry run's answer: what promoting would change. */
  preview?: PromotionResult;
  /**
   * True when `preview` answers a forced dry run. A preview is kept while
   * the next dry run is asked and when it fails, so this says which it is.
   */
  forced: boolean;
  /** The promotion's answer, once it succeeded. */
  result?: PromotionResult;
  /** The error of the latest request. */
  error?: Error;
  /** True while a request is in flight, the preview's included. */
  busy: boolean;
  /** Promotes with `strategy`; calls `onPromoted` when it succeeds. */
  promote: (strategy: PromotionStrategy) => void;
}

/**
 * Previews promoting `entityRef` from `source` to `target` with a dry run
 * right away, and again whenever `force` changes, and promotes on demand
 * (forced when `force` is).
 */
export function usePromotion(options: {
  entityRef: string;
  source: Environment;
  target: Environment;
  /** Promote past the source's failing verification gates. */
  force?: boolean;
  onPromoted: () => void;
}): PromotionRequests {
  const api = useApi(modelDeploymentsApiRef);
  const { entityRef, source, target, onPromoted } = options;
  const force = Boolean(options.force);
  const [preview, setPreview] = useState<PromotionResult>();
  const [forced, setForced] = useState(false);
  const [result, setResult] = useState<PromotionResult>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(true);

  useEffect(() => {
    // Drops a late answer once the dialog is closed or asks about another pair.
    let current = true;
    setBusy(true);
    setError(undefined);
    api
      .promote({
        entityRef,
        from: source.name,
        to: target.name,
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
  }, [api, entityRef, source.name, target.name, force]);

  const promote = (strategy: PromotionStrategy) => {
    setBusy(true);
    setError(undefined);
    api
      .promote({
        entityRef,
        from: source.name,
        to: target.name,
        strategy,
        ...(force ? { force } : {}),
      })
      .then(value => {
        setResult(value);
        onPromoted();
      }, setError)
      .finally(() => setBusy(false));
  };

  return { preview, forced, result, error, busy, promote };
}
