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

function trafficOf(object: KubernetesObject): TrafficTarget[] {
  const name = object.metadata?.name ?? 'predictor';
  const revisions: any[] = Array.isArray(
    object.status?.components?.predictor?.traffic,
  )
    ? object.status.components.predictor.traffic
    : [];
  const live = revisions.filter(r => (asNumber(r?.percent) ?? 0) > 0);
  if (live.length <= 1) {
    return [
      {
        name: asString(live[0]?.revisionName) ?? name,
        percent: 100,
        role: 'main',
      },
    ];
  }
  // During a canary rollout the latest revision is the canary and the
  // previously rolled-out one keeps the rest.
  return live.map(r => ({
    name: asString(r.revisionName) ?? asString(r.tag) ?? name,
    percent: asNumber(r.percent) ?? 0,
    role: r.latestRevision === true ? 'canary' : 'main',
  }));
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
  const stopped = findCondition(conditions, 'Stopped')?.status === 'True';
  let phase: DeploymentPhase;
  let message: string | undefined;
  if (!ready) {
    phase = 'Unknown';
    message = 'The KServe controller has not reported a status yet.';
  } else if (ready.status === 'True') {
    phase = 'Ready';
  } else {
    const culprit = firstFalseCondition(conditions) ?? ready;
    const failed =
      transition === 'BlockedByFailedLoad' ||
      transition === 'InvalidSpec' ||
      modelStatus?.states?.activeModelState === 'FailedToLoad' ||
      modelStatus?.states?.targetModelState === 'FailedToLoad' ||
      /fail|error|invalid/i.test(`${culprit.reason ?? ''}`);
    phase = failed ? 'Failed' : 'Progressing';
    message = failureMessage ?? conditionSummary(culprit);
  }
  if (stopped) {
    phase = 'Unknown';
    message = 'The InferenceService is stopped.';
  }
  const spec = object.spec ?? {};
  const versions = KSERVE_COMPONENTS.map(c =>
    versionOfComponent(c, spec[c]),
  ).filter((v): v is ModelVersion => Boolean(v));
  const copies = modelStatus?.copies;
  const total = asNumber(copies?.totalCopies);
  const url =
    asString(object.status?.url) ?? asString(object.status?.address?.url);
  return {
    phase,
    ...(message ? { message } : {}),
    desiredReplicas: asNumber(spec.predictor?.minReplicas) ?? 1,
    ...(total !== undefined
      ? { availableReplicas: total - (asNumber(copies?.failedCopies) ?? 0) }
      : {}),
    versions,
    traffic: trafficOf(object),
    ...(url ? { endpoint: { url } } : {}),
    conditions,
  };
}
