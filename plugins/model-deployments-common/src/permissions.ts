import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The resource type of permissions that are decided per environment. The
 * resource is an environment, seen through one model when the question is
 * about that model's deployments (see {@link modelEnvironmentResourceRef}).
 *
 * @public
 */
export const MODEL_DEPLOYMENTS_ENVIRONMENT_RESOURCE_TYPE =
  'model-deployments-environment';

/**
 * See a model's deployments in an environment: their status, manifests,
 * Git history and promotions.
 *
 * @public
 */
export const modelDeploymentsReadPermission = createPermission({
  name: 'model-deployments.deployment.read',
  attributes: { action: 'read' },
  resourceType: MODEL_DEPLOYMENTS_ENVIRONMENT_RESOURCE_TYPE,
});

/**
 * Promote a model into an environment (the resource).
 *
 * @public
 */
export const modelDeploymentsPromotePermission = createPermission({
  name: 'model-deployments.deployment.promote',
  attributes: { action: 'update' },
  resourceType: MODEL_DEPLOYMENTS_ENVIRONMENT_RESOURCE_TYPE,
});

/**
 * Promote or roll back with `force`: from a source that is not Ready, not
 * in sync with Git or failing its verification gates, or into an
 * environment in a freeze window. Asked in addition to
 * {@link modelDeploymentsPromotePermission}, on the target environment.
 *
 * @public
 */
export const modelDeploymentsForcePromotePermission = createPermission({
  name: 'model-deployments.deployment.force-promote',
  attributes: { action: 'update' },
  resourceType: MODEL_DEPLOYMENTS_ENVIRONMENT_RESOURCE_TYPE,
});

/**
 * Create an environment: a namespace and its GitOps folder.
 *
 * @public
 */
export const modelDeploymentsEnvironmentCreatePermission = createPermission({
  name: 'model-deployments.environment.create',
  attributes: { action: 'create' },
});

/**
 * Every permission of the model-deployments plugins.
 *
 * @public
 */
export const modelDeploymentsPermissions = [
  modelDeploymentsReadPermission,
  modelDeploymentsPromotePermission,
  modelDeploymentsForcePromotePermission,
  modelDeploymentsEnvironmentCreatePermission,
];

/**
 * The resource ref of an environment, or of one model in it:
 * `production` or `production:component:default/fraud-detector`.
 * Environment names are DNS-1123 labels, so the first colon ends the name.
 *
 * @public
 */
export function modelEnvironmentResourceRef(
  environment: string,
  entityRef?: string,
): string {
  return entityRef ? `${environment}:${entityRef}` : environment;
}

/**
 * Splits a ref made by {@link modelEnvironmentResourceRef}.
 *
 * @public
 */
export function parseModelEnvironmentResourceRef(resourceRef: string): {
  environment: string;
  entityRef?: string;
} {
  const colon = resourceRef.indexOf(':');
  if (colon < 0) return { environment: resourceRef };
  return {
    environment: resourceRef.slice(0, colon),
    entityRef: resourceRef.slice(colon + 1),
  };
}
