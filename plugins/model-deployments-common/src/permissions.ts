import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The resource type of permissions that are decided per environment; the
 * resource ref is the environment's name.
 *
 * @public
 */
export const MODEL_DEPLOYMENTS_ENVIRONMENT_RESOURCE_TYPE =
  'model-deployments-environment';

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
  modelDeploymentsPromotePermission,
  modelDeploymentsEnvironmentCreatePermission,
];
