/**
 * Backend for the model-deployments plugin.
 *
 * @packageDocumentation
 */

export { modelDeploymentsPlugin as default } from './plugin';
