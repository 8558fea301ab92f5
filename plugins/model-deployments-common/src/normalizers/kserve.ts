import {
  DeploymentPhase,
  ModelVersion,
  NormalizedDeploymentStatus,
  TrafficTarget,
} from '../types';
import {
  KubernetesObject,
  asNumber,
  asString,
  conditionSummary,
  findCondition,
  firstFalseCondition,
  readConditions,
} from './kubernetesObject';
import { splitWarnings } from './traffic';

const KSERVE_COMPONENTS = ['predictor', 'transformer', 'explainer'] as const;

/** Pre-`model` predictors name the framework as the key, e.g. `predictor.sklearn.storageUri`. */
const LEGACY_FRAMEWORK_KEYS = [
  'sklearn',
  'xgboost',
  'tensorflow',
  'pytorch',
  'triton',
  'onnx',
  'pmml',
  'lightgbm',
  'paddle',
  'huggingface',
];

function versionOfComponent(
  componentName: string,
  component: any,
): ModelVersion | undefined {
  if (!component || typeof component !== 'object') {
    return undefined;
  }
  let modelUri = asString(component.model?.storageUri);
  let runtime =
    asString(component.model?.runtime) ??
    asString(component.model?.modelFormat?.name);
  for (const key of LEGACY_FRAMEWORK_KEYS) {
    if (!modelUri && component[key]) {
      modelUri = asString(component[key].storageUri);
      runtime = runtime ?? key;
    }
  }
  const image =
    asString(component.containers?.[0]?.image) ??
    asString(component.model?.image);
  if (!modelUri && !image) {
    return undefined;
  }
  return {
    component: componentName,
    ...(modelUri ? { modelUri } : {}),
    ...(image ? { image } : {}),
    ...(runtime ? { runtime } : {}),
  };
}

/** KServe's annotation that stops an InferenceService (v0.15+). */
export const KSERVE_STOP_ANNOTATION = 'serving.kserve.io/stop';

/**
 * Where the predictor's requests go. The revision split the controller
 * reports (`status.components.predictor.traffic`) wins: its entries name
 * the revisions, and `tag: latest` / `latestRevision: true` mark the canary
 * and `tag: prev` the previous rollout, whatever their order. Without it,
 * `spec.predictor.canaryTrafficPercent: N` says the latest revision gets N %
 * and the previous one 100 − N % (0 % is still a canary: a rollback pin).
 * A spec without a predictor states no target at all.
 */
function trafficOf(object: KubernetesObject): TrafficTarget[] {
  const predictor = object.spec?.predictor;
  const revisions: any[] = Array.isArray(
    object.status?.components?.predictor?.traffic,
  )
    ? object.status.components.predictor.traffic.filter(
        (r: unknown) => r && typeof r === 'object',
      )
    : [];
  const canaryPercent = asNumber(predictor?.canaryTrafficPercent);
  const isLatest = (r: any) =>
    r.latestRevision === true || asString(r.tag) === 'latest';
  if (revisions.length > 0) {
    const split = revisions.length > 1 || canaryPercent !== undefined;
    return revisions.map(r => {
      const percent = asNumber(r.percent);
      return {
        name:
          asString(r.revisionName) ??
          asString(r.tag) ??
          (isLatest(r) ? 'latest' : 'previous'),
        // An entry without a percent gets none of the traffic (Knative omits 0).
        percent: percent ?? 0,
        role: split && isLatest(r) ? ('canary' as const) : ('main' as const),
      };
    });
  }
  if (!predictor || typeof predictor !== 'object') return [];
  if (canaryPercent !== undefined) {
    return [
      { name: 'latest', percent: canaryPercent, role: 'canary' },
      { name: 'previous', percent: 100 - canaryPercent, role: 'main' },
    ];
  }
  return [{ name: 'predictor', percent: 100, role: 'main' }];
}

/**
 * Normalizes a KServe `InferenceService` (`serving.kserve.io/v1beta1`).
 *
 * @public
 */
export function normalizeInferenceService(
  object: KubernetesObject,
): NormalizedDeploymentStatus {
  const conditions = readConditions(object);
  const ready = findCondition(conditions, 'Ready');
  const modelStatus = object.status?.modelStatus;
  const transition = asString(modelStatus?.transitionStatus);
  const failureMessage = asString(modelStatus?.lastFailureInfo?.message);
  const stopped =
    findCondition(conditions, 'Stopped')?.status === 'True' ||
    object.metadata?.annotations?.[KSERVE_STOP_ANNOTATION] === 'true';
  let phase: DeploymentPhase;
  let message: string | undefined;
  if (stopped) {
    phase = 'Stopped';
    message = 'Stopped on purpose (serving.kserve.io/stop).';
  } else if (
    transition === 'BlockedByFailedLoad' ||
    transition === 'InvalidSpec'
  ) {
    // ModelMesh: the model cannot load, whatever Ready says (Argo CD calls it Degraded).
    phase = 'Failed';
    message = failureMessage ?? `ModelMesh: ${transition}`;
  } else if (!ready) {
    phase = 'Unknown';
    message = 'The KServe controller has not reported a status yet.';
  } else if (
    ready.status === 'True' &&
    (transition === 'InProgress' || transition === 'Loading')
  ) {
    phase = 'Progressing';
    message = `ModelMesh: ${transition}`;
  } else if (ready.status === 'True') {
    phase = 'Ready';
  } else {
    const culprit = firstFalseCondition(conditions) ?? ready;
    const failed =
      modelStatus?.states?.activeModelState === 'FailedToLoad' ||
      modelStatus?.states?.targetModelState === 'FailedToLoad' ||
      /fail|error|invalid/i.test(`${culprit.reason ?? ''}`);
    phase = failed ? 'Failed' : 'Progressing';
    message = failureMessage ?? conditionSummary(culprit);
  }
  const spec = object.spec ?? {};
  const versions = KSERVE_COMPONENTS.map(c =>
    versionOfComponent(c, spec[c]),
  ).filter((v): v is ModelVersion => Boolean(v));
  const copies = modelStatus?.copies;
  const total = asNumber(copies?.totalCopies);
  const url =
    asString(object.status?.url) ?? asString(object.status?.address?.url);
  const minReplicas = asNumber(spec.predictor?.minReplicas);
  const traffic = trafficOf(object);
  const warnings = splitWarnings(traffic);
  return {
    phase,
    ...(message ? { message } : {}),
    ...(minReplicas !== undefined ? { desiredReplicas: minReplicas } : {}),
    ...(total !== undefined
      ? { availableReplicas: total - (asNumber(copies?.failedCopies) ?? 0) }
      : {}),
    versions,
    traffic,
    ...(url ? { endpoint: { url } } : {}),
    conditions,
    ...(warnings.length ? { warnings } : {}),
  };
}
