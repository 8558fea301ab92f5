/**
 * A demo Kubernetes cluster for the model-deployments example portal and tests.
 *
 * @packageDocumentation
 */

export { DemoClusterServer } from './DemoClusterServer';
export { DemoGitServer } from './DemoGitServer';
export type { DemoGitServerOptions } from './DemoGitServer';
export type { DemoClusterOptions } from './clusterServer/serverState';
export { ObjectStore } from './ObjectStore';
export type { StoredObject, StoreEvent } from './ObjectStore';
export { MODEL_SERVING_TYPES, NAMESPACES } from './resourceTypes';
export type { DemoResourceType } from './resourceTypes';
export {
  readManifests,
  readManifestsFromDirectory,
  readManifestsFromFile,
} from './manifests';
export { DemoClusterSyncTarget, SyncRejectedError } from './SyncTarget';
export type { SyncObjectRef, SyncTarget } from './SyncTarget';
export { KubeApiClient } from './realCluster/KubeApiClient';
export { KubeApiError } from './realCluster/KubeApiError';
export type { KubeApiServerOptions } from './realCluster/KubeApiClient';
export type { KubeObjectRef } from './realCluster/kubeObjects';
export type { KubeResource } from './realCluster/discovery';
export type { KubeResponse } from './realCluster/kubeHttp';
export {
  KubeApiSyncTarget,
  SYNC_FIELD_MANAGER,
} from './realCluster/KubeApiSyncTarget';
export { SEED_FIELD_MANAGER, seedCluster } from './realCluster/seedCluster';
export type { SeedResult, SeededObject } from './realCluster/seedCluster';
export { demoClusterPlugin as default } from './plugin';
