/**
 * Scaffolder actions of the model-deployments plugins: promote a model from
 * one environment to the next.
 *
 * @packageDocumentation
 */

export { scaffolderModuleModelDeployments as default } from './module';
export { createPromoteModelAction } from './actions/promote';
export { ModelDeploymentsApiClient } from './ModelDeploymentsApiClient';
