export type { KubernetesObject } from './kubernetesObject';
export {
  normalizeSeldonDeployment,
  SELDON_CANARY_ANNOTATION,
} from './seldonDeployment';
export {
  normalizeSeldonExperiment,
  normalizeSeldonModel,
  normalizeSeldonPipeline,
  normalizeSeldonServer,
} from './seldonCore2';
export { KSERVE_STOP_ANNOTATION, normalizeInferenceService } from './kserve';
export {
  apiVersionOf,
  defaultModelResourceKinds,
  inferenceServiceResourceKind,
  kfservingInferenceServiceResourceKind,
  resourceKindLabel,
  seldonDeploymentResourceKind,
  seldonExperimentResourceKind,
  seldonModelResourceKind,
  seldonPipelineResourceKind,
  seldonServerResourceKind,
  toModelDeployment,
} from './resourceKinds';
export type { ModelResourceKind } from './resourceKinds';
