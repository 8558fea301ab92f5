import { useApi } from '@backstage/core-plugin-api';
import {
  Environment,
  PromotionStrategy,
} from '@seed-mlops/plugin-model-deployments-common';
import { modelDeploymentsApiRef } from '../../api';
import { GitChangeRequests, useGitChange } from './useGitChange';

/** The requests of one promotion: its dry-run preview, then the real one. */
export interface PromotionRequests extends Omit<GitChangeRequests, 'run'> {
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
  /** Promote past the source's failing gates or the target's freeze. */
  force?: boolean;
  onPromoted: () => void;
}): PromotionRequests {
  const api = useApi(modelDeploymentsApiRef);
  const { entityRef, source, target } = options;
  const { run, ...requests } = useGitChange({
    key: JSON.stringify([entityRef, source.name, target.name]),
    force: options.force,
    onDone: options.onPromoted,
    send: request =>
      api.promote({
        entityRef,
        from: source.name,
        to: target.name,
        ...request,
      }),
  });
  return { ...requests, promote: run };
}
