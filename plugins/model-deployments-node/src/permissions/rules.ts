import {
  Entity,
  RELATION_OWNED_BY,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  Environment,
  MODEL_DEPLOYMENTS_ENVIRONMENT_RESOURCE_TYPE,
} from '@seed-mlops/plugin-model-deployments-common';
import { z } from 'zod';

/**
 * What per-environment permissions are decided on: an environment, and the
 * model when the question is about that model's deployments in it.
 *
 * @public
 */
export interface ModelEnvironmentResource {
  environment: Environment;
  /** The model's catalog entity; absent for questions about the environment alone. */
  entity?: Entity;
}

/**
 * Conditions become predicates: the resources are filtered in memory, not
 * by a database query.
 *
 * @public
 */
export type ModelEnvironmentPredicate = (
  resource: ModelEnvironmentResource,
) => boolean;

/**
 * The resource ref of the `model-deployments-environment` resource type.
 *
 * @public
 */
export const modelEnvironmentPermissionResourceRef =
  createPermissionResourceRef<
    ModelEnvironmentResource,
    ModelEnvironmentPredicate
  >().with({
    pluginId: 'model-deployments',
    resourceType: MODEL_DEPLOYMENTS_ENVIRONMENT_RESOURCE_TYPE,
  });

/** The refs of the entity's owners: the ownedBy relations, else spec.owner. */
function ownersOf(entity: Entity): string[] {
  const related = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
  if (related.length) return related;
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || !owner) return [];
  try {
    return [
      stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      ),
    ];
  } catch {
    return [];
  }
}

/** Rules answer as predicates over the resource: their query is their `apply`. */
const asQuery =
  <TParams>(
    apply: (resource: ModelEnvironmentResource, params: TParams) => boolean,
  ) =>
  (params: TParams): ModelEnvironmentPredicate =>
  resource =>
    apply(resource, params);

const applyIsEnvironment = (
  { environment }: ModelEnvironmentResource,
  { names }: { names: string[] },
) => names.includes(environment.name);

const isEnvironment = createPermissionRule({
  name: 'IS_ENVIRONMENT',
  description: 'Allow environments with one of the given names',
  resourceRef: modelEnvironmentPermissionResourceRef,
  paramsSchema: z.object({
    names: z.array(z.string()).describe('Environment names, e.g. production'),
  }),
  apply: applyIsEnvironment,
  toQuery: asQuery(applyIsEnvironment),
});

const applyHasStage = (
  { environment }: ModelEnvironmentResource,
  { atLeast, atMost }: { atLeast?: number; atMost?: number },
) =>
  (atLeast === undefined || environment.stage >= atLeast) &&
  (atMost === undefined || environment.stage <= atMost);

const hasStage = createPermissionRule({
  name: 'HAS_STAGE',
  description:
    'Allow environments whose pipeline stage lies between the given bounds, inclusive',
  resourceRef: modelEnvironmentPermissionResourceRef,
  paramsSchema: z.object({
    atLeast: z.number().optional().describe('Lowest stage allowed'),
    atMost: z.number().optional().describe('Highest stage allowed'),
  }),
  apply: applyHasStage,
  toQuery: asQuery(applyHasStage),
});

const applyIsRestricted = ({ environment }: ModelEnvironmentResource) =>
  environment.restricted;

const isRestricted = createPermissionRule({
  name: 'IS_RESTRICTED',
  description:
    'Allow restricted environments (seldon.restricted=true, or restricted: true in config)',
  resourceRef: modelEnvironmentPermissionResourceRef,
  apply: applyIsRestricted,
  toQuery: asQuery(applyIsRestricted),
});

const applyIsModelOwner = (
  { entity }: ModelEnvironmentResource,
  { claims }: { claims: string[] },
) => entity !== undefined && ownersOf(entity).some(o => claims.includes(o));

const isModelOwner = createPermissionRule({
  name: 'IS_MODEL_OWNER',
  description:
    "Allow when the model's catalog entity is owned by one of the given refs; never for a question about an environment alone",
  resourceRef: modelEnvironmentPermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe("Ownership refs, usually the user's ownershipEntityRefs"),
  }),
  apply: applyIsModelOwner,
  toQuery: asQuery(applyIsModelOwner),
});

/**
 * The rules of the `model-deployments-environment` resource type.
 *
 * @public
 */
export const modelEnvironmentPermissionRules = {
  isEnvironment,
  hasStage,
  isRestricted,
  isModelOwner,
};

const conditionExports = createConditionExports({
  resourceRef: modelEnvironmentPermissionResourceRef,
  rules: modelEnvironmentPermissionRules,
});

/**
 * Conditions for permission policies, one per rule:
 * `isEnvironment({ names })`, `hasStage({ atLeast, atMost })`,
 * `isRestricted()` and `isModelOwner({ claims })`.
 *
 * @public
 */
export const modelDeploymentsConditions = conditionExports.conditions;

/**
 * Wraps conditions into a policy decision for a
 * `model-deployments-environment` permission.
 *
 * @public
 */
export const createModelDeploymentsConditionalDecision =
  conditionExports.createConditionalDecision;
