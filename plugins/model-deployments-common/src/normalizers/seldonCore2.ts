// Seldon Core 2 (mlops.seldon.io/v1alpha1): models and their servers, and
// the pipelines and experiments that route between models.
export {
  normalizeSeldonModel,
  normalizeSeldonServer,
} from './seldonCore2Model';
export {
  normalizeSeldonExperiment,
  normalizeSeldonPipeline,
} from './seldonCore2Pipeline';
