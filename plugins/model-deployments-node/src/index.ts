/**
 * Extension points for modules of the model-deployments backend plugin.
 *
 * @packageDocumentation
 */

export { modelDeploymentsResourceKindsExtensionPoint } from './extensions';
export type { ModelDeploymentsResourceKindsExtensionPoint } from './extensions';
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
