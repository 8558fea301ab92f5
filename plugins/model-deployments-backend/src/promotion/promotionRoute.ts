import { CompoundEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { InputError, assertError } from '@backstage/errors';
import {
  Environment,
  GitOpsSource,
  PromotionRequest,
  PromotionStrategy,
  quoteValue,
} from '@seed-mlops/plugin-model-deployments-common';
import { assertDnsLabel } from './manifests';

/** The most replicas a promotion may ask for; a typo guard, not a cluster limit. */
const MAX_REPLICAS = 1000;

/** Where a promotion goes and how it is written there. */
export interface PromotionRoute {
  from: Environment;
  to: Environment;
  /** The target's GitOps source, which the promotion writes to. */
  gitops: GitOpsSource;
  strategy: PromotionStrategy;
}

/** The request's model, or an InputError that says what a ref looks like. */
export function parseModelRef(entityRef: string): CompoundEntityRef {
  try {
    return parseEntityRef(entityRef);
  } catch (e) {
    assertError(e);
    throw new InputError(
      `entityRef: '${entityRef}' is not an entity ref (${e.message}); expected kind:namespace/name`,
    );
  }
}

/**
 * Checks the request and works out the source and target environments from
 * the pipeline's order, before anything is read from them.
 */
export function resolveRoute(
  environments: Environment[],
  request: PromotionRequest,
  options: { allowSkippingStages: boolean },
): PromotionRoute {
  const names = environments.map(e => e.name).join(', ');
  assertDnsLabel('to', request.to);
  const toIndex = environments.findIndex(e => e.name === request.to);
  if (toIndex < 0) {
    throw new InputError(
      `to: unknown environment ${quoteValue(
        request.to,
      )}; expected one of ${names}`,
    );
  }
  let fromIndex = toIndex - 1;
  if (request.from !== undefined) {
    assertDnsLabel('from', request.from);
    fromIndex = environments.findIndex(e => e.name === request.from);
    if (fromIndex < 0) {
      throw new InputError(
        `from: unknown environment ${quoteValue(
          request.from,
        )}; expected one of ${names}`,
      );
    }
  } else if (toIndex === 0) {
    throw new InputError(
      `to: '${request.to}' is the first stage, so there is nothing to promote from; name 'from'`,
    );
  }
  if (fromIndex === toIndex) {
    throw new InputError(
      `from and to are both '${request.to}'; a promotion moves a model to another environment`,
    );
  }
  if (fromIndex > toIndex) {
    throw new InputError(
      `from: '${environments[fromIndex].name}' comes after '${request.to}' in the pipeline; promotions go forward`,
    );
  }
  const skipped = environments.slice(fromIndex + 1, toIndex);
  if (skipped.length > 0 && !options.allowSkippingStages) {
    throw new InputError(
      `Promoting from '${environments[fromIndex].name}' to '${
        request.to
      }' skips ${skipped
        .map(e => `'${e.name}'`)
        .join(
          ', ',
        )}; promote stage by stage, or set modelDeployments.promotion.allowSkippingStages`,
    );
  }
  const from = environments[fromIndex];
  const to = environments[toIndex];
  if (!to.gitops) {
    throw new InputError(
      `to: environment '${to.name}' has no GitOps source; promotions are written to Git`,
    );
  }
  const strategy: PromotionStrategy =
    request.strategy ??
    to.gitops.promotionStrategy ??
    (to.restricted ? 'pull-request' : 'commit');
  if (strategy !== 'commit' && strategy !== 'pull-request') {
    throw new InputError(
      `strategy: '${strategy}' is not 'commit' or 'pull-request'`,
    );
  }
  const replicas = request.overrides?.replicas;
  if (
    replicas !== undefined &&
    (!Number.isInteger(replicas) || replicas < 0 || replicas > MAX_REPLICAS)
  ) {
    throw new InputError(
      `overrides.replicas: expected a whole number from 0 to ${MAX_REPLICAS}, got ${replicas}`,
    );
  }
  return { from, to, gitops: to.gitops, strategy };
}
