export { ClusterRequestError } from './ModelClusterClient';
export type {
  KubernetesList,
  ModelClusterClient,
  WatchEventHandler,
  WatchRequest,
} from './ModelClusterClient';
export type {
  EnvironmentCheck,
  ModelDeploymentsService,
  ModelEnvironmentCreationService,
  ModelPromotionService,
  PromotionActor,
} from './ModelDeploymentsServices';
export {
  DefaultModelDeploymentsApiService,
  modelDeploymentsApiServiceRef,
} from './ModelDeploymentsApiService';
export type {
  ModelDeploymentsApiService,
  ModelDeploymentsCallOptions,
} from './ModelDeploymentsApiService';
