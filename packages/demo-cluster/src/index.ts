/**
 * A demo Kubernetes cluster for the model-deployments example portal and tests.
 *
 * @packageDocumentation
 */

export { DemoClusterServer } from './DemoClusterServer';
export { DemoGitServer } from './DemoGitServer';
export type { DemoGitServerOptions } from './DemoGitServer';
export type { DemoClusterOptions } from './DemoClusterServer';
export { ObjectStore } from './ObjectStore';
export type { StoredObject, StoreEvent } from './ObjectStore';
export { MODEL_SERVING_TYPES, NAMESPACES } from './resourceTypes';
export type { DemoResourceType } from './resourceTypes';
export { readManifestsFromDirectory } from './manifests';
export { demoClusterPlugin as default } from './plugin';
