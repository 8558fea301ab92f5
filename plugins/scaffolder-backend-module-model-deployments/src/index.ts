/**
 * Scaffolder actions of the model-deployments plugins: promote a model from
 * one environment to the next, roll a model back in an environment, and
 * create environments.
 *
 * @packageDocumentation
 */

export { scaffolderModuleModelDeployments as default } from './module';
export { createPromoteModelAction } from './actions/promote';
export { createRollbackModelAction } from './actions/rollback';
export { createEnvironmentAction } from './actions/createEnvironment';
