export type { KubernetesObject } from './kubernetesObject';
export {
  normalizeSeldonDeployment,
  SELDON_CANARY_ANNOTATION,
} from './seldonDeployment';
export {
  normalizeSeldonExperiment,
  normalizeSeldonModel,
  normalizeSeldonPipeline,
} from './seldonCore2';
export { normalizeInferenceService } from './kserve';
export {
  apiVersionOf,
  defaultModelResourceKinds,
  inferenceServiceResourceKind,
  resourceKindLabel,
  seldonDeploymentResourceKind,
  seldonExperimentResourceKind,
  seldonModelResourceKind,
  seldonPipelineResourceKind,
  toModelDeployment,
} from './resourceKinds';
export type { ModelResourceKind } from './resourceKinds';
