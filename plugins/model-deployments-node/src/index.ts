/**
 * Extension points, service interfaces and events of the model-deployments
 * backend plugin, for its modules and for other plugins.
 *
 * @packageDocumentation
 */

export {
  modelDeploymentsClusterClientExtensionPoint,
  modelDeploymentsResourceKindsExtensionPoint,
} from './extensions';
export type {
  ModelDeploymentsClusterClientExtensionPoint,
  ModelDeploymentsResourceKindsExtensionPoint,
} from './extensions';
export * from './services';
export { MODEL_DEPLOYMENTS_EVENTS_TOPIC } from './events';
export type { ModelDeploymentsEvent } from './events';
export type {
  KubernetesObject,
  ModelResourceKind,
  NormalizedDeploymentStatus,
} from '@seed-mlops/plugin-model-deployments-common';
export {
  modelEnvironmentPermissionResourceRef,
  modelEnvironmentPermissionRules,
  modelDeploymentsConditions,
  createModelDeploymentsConditionalDecision,
} from './permissions/rules';
export type {
  ModelEnvironmentResource,
  ModelEnvironmentPredicate,
} from './permissions/rules';
