/**
 * Scaffolder actions of the model-deployments plugins: promote a model from
 * one environment to the next, and create environments.
 *
 * @packageDocumentation
 */

export { scaffolderModuleModelDeployments as default } from './module';
export { createPromoteModelAction } from './actions/promote';
export { createEnvironmentAction } from './actions/createEnvironment';
