import { NormalizedDeploymentStatus } from '../types';
import {
  KubernetesObject,
  asString,
  conditionSummary,
  firstFalseCondition,
  readConditions,
  withDeletion,
} from './kubernetesObject';
import {
  predictorsOf,
  versionsOfPredictor,
} from './seldonDeploymentPredictors';
import { replicasOf } from './seldonDeploymentReplicas';
import { trafficOf } from './seldonDeploymentTraffic';
import { splitWarnings } from './traffic';

export { SELDON_CANARY_ANNOTATION } from './seldonDeploymentTraffic';

/**
 * Normalizes a Seldon Core v1 `SeldonDeployment` (`machinelearning.seldon.io/v1`).
 *
 * `status.state` (`Available | Creating | Failed`) decides the phase; a
 * deployment scaled to 0 on purpose is Stopped. Canary and shadow come from
 * the predictors' `traffic`, `shadow` and the `seldon.io/canary` annotation;
 * a split that does not add up is kept and flagged in `warnings`.
 *
 * @public
 */
export function normalizeSeldonDeployment(
  object: KubernetesObject,
): NormalizedDeploymentStatus {
  const predictors = predictorsOf(object);
  const conditions = readConditions(object);
  const state = asString(object.status?.state);
  const description = asString(object.status?.description);
  let phase: NormalizedDeploymentStatus['phase'];
  let message = description;
  const replicas = replicasOf(object, predictors);
  // `state` wins over replica counts: the operator sets it from them.
  switch (state) {
    case 'Available':
      phase = 'Ready';
      break;
    case 'Creating':
      phase = 'Progressing';
      message =
        description ?? conditionSummary(firstFalseCondition(conditions));
      break;
    case 'Failed':
      phase = 'Failed';
      message =
        description ?? conditionSummary(firstFalseCondition(conditions));
      break;
    default:
      phase = 'Unknown';
      message =
        description ?? 'The Seldon operator has not reported a state yet.';
  }
  if (
    phase !== 'Failed' &&
    replicas.desiredReplicas === 0 &&
    !replicas.availableReplicas
  ) {
    // Scaled to zero on purpose: every component asks for no replica.
    phase = 'Stopped';
    message = 'Scaled to 0 replicas.';
  }
  const url = asString(object.status?.address?.url);
  const split = trafficOf(predictors);
  const { traffic } = split;
  const warnings = [
    ...split.warnings,
    // Missing shares are already said; the sum of the stated ones would repeat it.
    ...(split.warnings.length ? [] : splitWarnings(traffic)),
  ];
  return withDeletion(object, {
    phase,
    ...(message ? { message } : {}),
    ...replicas,
    versions: predictors.flatMap(versionsOfPredictor),
    traffic,
    ...(url ? { endpoint: { url } } : {}),
    conditions,
    ...(warnings.length ? { warnings } : {}),
  });
}
