import { useApi } from '@backstage/core-plugin-api';
import {
  PromotionStrategy,
  RollbackTarget,
} from '@seed-mlops/plugin-model-deployments-common';
import { modelDeploymentsApiRef } from '../../api';
import { GitChangeRequests, useGitChange } from './useGitChange';

/** The requests of one rollback: its dry-run preview, then the real one. */
export interface RollbackRequests extends Omit<GitChangeRequests, 'run'> {
  /** Rolls back with `strategy`; calls `onRolledBack` when it succeeds. */
  rollBack: (strategy: PromotionStrategy) => void;
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
  const { entityRef, environment, to } = options;
  const { run, ...requests } = useGitChange({
    key: JSON.stringify([entityRef, environment, to]),
    force: options.force,
    onDone: options.onRolledBack,
    send: request =>
      api.rollback({
        entityRef,
        environment,
        to,
        ...('dryRun' in request ? request : { ...request, dryRun: false }),
      }),
  });
  return { ...requests, rollBack: run };
}
