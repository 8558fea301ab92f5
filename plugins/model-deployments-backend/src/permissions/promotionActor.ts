import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import {
  PromotionRequest,
  modelDeploymentsForcePromotePermission,
  modelDeploymentsPromotePermission,
  modelDeploymentsReadPermission,
} from '@seed-mlops/plugin-model-deployments-common';
import { PromotionActor } from '@seed-mlops/plugin-model-deployments-node';
import { actorRef } from '../http/requests';
import { EnvironmentAccess } from './EnvironmentAccess';

/**
 * The caller as a promoter: the read, promote and (when forcing)
 * force-promote decisions are made once, then applied to the model and the
 * two environments once the promotion knows them.
 */
export async function promotionActor(
  request: Pick<PromotionRequest, 'dryRun' | 'force'>,
  credentials: BackstageCredentials,
  access: EnvironmentAccess,
): Promise<PromotionActor> {
  const [canRead, canPromote, canForce] = await access.check(
    [
      modelDeploymentsReadPermission,
      modelDeploymentsPromotePermission,
      ...(request.force ? [modelDeploymentsForcePromotePermission] : []),
    ],
    credentials,
  );
  return {
    ref: actorRef(credentials),
    credentials,
    async authorize({ entity, from, to }) {
      const model = stringifyEntityRef(entity);
      // What is copied must be visible to the one who copies it.
      if (!canRead({ environment: from, entity })) {
        throw new NotAllowedError(
          `You may not see ${model} in environment '${from.name}'`,
        );
      }
      const target = { environment: to, entity };
      // A dry run needs the right to read the target or to promote into it,
      // a real one the latter; the target's manifests are only shown to
      // those who may read them (mayReadTarget).
      if (
        request.dryRun
          ? !canRead(target) && !canPromote(target)
          : !canPromote(target)
      ) {
        throw new NotAllowedError(
          `You may not promote ${model} into environment '${to.name}'`,
        );
      }
      if (canForce && !canForce(target)) {
        throw new NotAllowedError(
          `You may not force a promotion into environment '${to.name}'; promote a source that is Ready and in sync instead`,
        );
      }
      return { mayReadTarget: canRead(target) };
    },
  };
}
