import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ConflictError } from '@backstage/errors';
import {
  Environment,
  KubernetesObject,
} from '@seed-mlops/plugin-model-deployments-common';
import { PreparedPromotion } from '../PromotionPlanner';
import { ApprovalEntry } from './ApprovalStore';

/**
 * An approved promotion, ready to write: the files its approvers were
 * shown, by commit, as asked for by its requester (whose rights were
 * checked when they asked). A ConflictError when its environments are no
 * longer configured for promotions.
 */
export function approvedPromotion(
  { record, change }: ApprovalEntry,
  environments: Environment[],
  ownCredentials: BackstageCredentials,
): PreparedPromotion {
  const from = environments.find(e => e.name === record.from);
  const to = environments.find(e => e.name === record.to);
  if (!from || !to?.gitops) {
    throw new ConflictError(
      `Promotion of ${record.entityRef} failed: environment '${
        from ? record.to : record.from
      }' is no longer configured for promotions`,
    );
  }
  return {
    from,
    to,
    gitops: to.gitops,
    strategy: 'commit',
    request: { ...change.request, strategy: 'commit' },
    actor: {
      ref: record.actor,
      // Reads on the way (the requester's profile) are the plugin's own.
      credentials: ownCredentials,
      authorize: async () => ({ mayReadTarget: true }),
    },
    entityRef: parseEntityRef(record.entityRef),
    ref: record.entityRef,
    files: change.files.map(f => ({
      path: f.path,
      object: f.object as KubernetesObject,
    })),
    versions: record.versions,
    // The approver was checked to read the target.
    mayReadTarget: true,
  };
}
