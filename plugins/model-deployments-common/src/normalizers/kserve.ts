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
  withDeletion,
} from './kubernetesObject';
import { splitWarnings } from './traffic';

const KSERVE_COMPONENTS = ['predictor', 'transformer', 'explainer'] as const;

/** Pre-`model` predictors name the framework as the key, e.g. `predictor.sklearn.storageUri`. */
const LEGACY_FRAMEWORK_KEYS = [
  // Explainers of the same schema generation.
  'alibi',
  'aix',
  'art',
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
  // ModelMesh's `storage` names a path in a configured storage, not a URI.
  let modelUri =
    asString(component.model?.storageUri) ??
    asString(component.model?.storage?.path);
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

/**
 * KServe's annotation that stops an InferenceService (v0.15+).
 *
 * @public
 */
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
    // One revision is all there is, whatever the spec asks for next (a
    // status can lag the spec): no split is invented.
    const split = revisions.length > 1;
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

/** KFServing's first schema: `default` and `canary` endpoints with a shared split. */
function isKfservingV1alpha2(object: KubernetesObject) {
  return object.apiVersion === 'serving.kubeflow.org/v1alpha2';
}

/**
 * KFServing v1alpha2: `spec.default` and `spec.canary` each hold a
 * predictor (and maybe a transformer and an explainer);
 * `spec.canaryTrafficPercent` goes to the canary and the rest to default.
 * A percent with no canary to send it to is flagged, not invented.
 */
function readV1alpha2(spec: any) {
  const endpoints = (['default', 'canary'] as const).filter(
    name => spec[name] && typeof spec[name] === 'object',
  );
  const versions = endpoints.flatMap(name =>
    KSERVE_COMPONENTS.map(c =>
      versionOfComponent(`${name}/${c}`, spec[name][c]),
    ).filter((v): v is ModelVersion => Boolean(v)),
  );
  const canaryPercent = asNumber(spec.canaryTrafficPercent);
  const traffic: TrafficTarget[] = [];
  const warnings: string[] = [];
  if (endpoints.includes('canary')) {
    traffic.push(
      { name: 'default', percent: 100 - (canaryPercent ?? 0), role: 'main' },
      { name: 'canary', percent: canaryPercent ?? 0, role: 'canary' },
    );
  } else if (endpoints.includes('default')) {
    traffic.push({ name: 'default', percent: 100, role: 'main' });
    if (canaryPercent) {
      warnings.push(
        `canaryTrafficPercent is ${canaryPercent} %, but there is no canary to send it to`,
      );
    }
  }
  return { versions, traffic, warnings };
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
    // The model cannot load, whatever Ready says (Argo CD calls it Degraded).
    phase = 'Failed';
    // The controller's own summary first: Ready's reason when it is False.
    message =
      failureMessage ??
      conditionSummary(ready?.status === 'False' ? ready : undefined) ??
      conditionSummary(firstFalseCondition(conditions)) ??
      `The model cannot be loaded (transitionStatus ${transition})`;
  } else if (!ready) {
    phase = 'Unknown';
    message = 'The KServe controller has not reported a status yet.';
  } else if (
    ready.status === 'True' &&
    (transition === 'InProgress' || transition === 'Loading')
  ) {
    phase = 'Progressing';
    message = `Loading the model (transitionStatus ${transition})`;
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
  const legacy = isKfservingV1alpha2(object) ? readV1alpha2(spec) : undefined;
  const versions =
    legacy?.versions ??
    KSERVE_COMPONENTS.map(c => versionOfComponent(c, spec[c])).filter(
      (v): v is ModelVersion => Boolean(v),
    );
  const copies = modelStatus?.copies;
  const total = asNumber(copies?.totalCopies);
  const url =
    asString(object.status?.url) ?? asString(object.status?.address?.url);
  const minReplicas = asNumber(spec.predictor?.minReplicas);
  const traffic = legacy?.traffic ?? trafficOf(object);
  const warnings = [...(legacy?.warnings ?? []), ...splitWarnings(traffic)];
  return withDeletion(object, {
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
  });
}
