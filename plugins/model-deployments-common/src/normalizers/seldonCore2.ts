import {
  DeploymentCondition,
  DeploymentPhase,
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

/**
 * Scheduler states that the Seldon Core 2 operator copies into the
 * `ModelReady` condition's message. Everything but `ModelAvailable` is False.
 */
const FAILED_MODEL_STATES = new Set([
  'ModelFailed',
  'ScheduleFailed',
  'ModelTerminateFailed',
]);
const PROGRESSING_MODEL_STATES = new Set([
  'ModelProgressing',
  'ModelStateUnknown',
  'ModelTerminating',
  'ModelTerminated',
  'ModelScaledDown',
]);

/** Seldon Core 2 routes every request through the `seldon-mesh` service of the namespace. */
function meshEndpoint(
  namespace: string | undefined,
  model: string,
  header: string,
) {
  const host = namespace
    ? `seldon-mesh.${namespace}.svc.cluster.local`
    : 'seldon-mesh';
  return {
    url: `http://${host}/v2/models/${model}/infer`,
    headers: { 'Seldon-Model': header },
  };
}

/**
 * Phase from the knative-style `Ready` condition, for pipelines and experiments.
 * A False condition whose reason or message names a failure is Failed;
 * otherwise the resource is still converging.
 */
function phaseFromReady(
  conditions: DeploymentCondition[],
  subConditions: string[],
): { phase: DeploymentPhase; message?: string } {
  const ready = findCondition(conditions, 'Ready');
  if (!ready) {
    return {
      phase: 'Unknown',
      message: 'The Seldon Core 2 scheduler has not reported a status yet.',
    };
  }
  if (ready.status === 'True') {
    return { phase: 'Ready' };
  }
  const culprit =
    firstFalseCondition(
      conditions.filter(c => subConditions.includes(c.type)),
    ) ?? ready;
  const text = `${culprit.reason ?? ''} ${culprit.message ?? ''}`;
  const failed = /fail|error|invalid/i.test(text);
  return {
    phase: failed ? 'Failed' : 'Progressing',
    message: conditionSummary(culprit),
  };
}

/**
 * Normalizes a Seldon Core 2 `Model` (`mlops.seldon.io/v1alpha1`).
 *
 * @public
 */
export function normalizeSeldonModel(
  object: KubernetesObject,
): NormalizedDeploymentStatus {
  const conditions = readConditions(object);
  const name = object.metadata?.name ?? 'model';
  const modelReady = findCondition(conditions, 'ModelReady');
  let phase: DeploymentPhase;
  let message: string | undefined;
  if (modelReady) {
    const state = modelReady.message ?? '';
    if (modelReady.status === 'True') {
      phase = 'Ready';
    } else if (FAILED_MODEL_STATES.has(state)) {
      phase = 'Failed';
      message = modelReady.reason ? `${state}: ${modelReady.reason}` : state;
    } else if (PROGRESSING_MODEL_STATES.has(state) || !state) {
      phase = 'Progressing';
      message = modelReady.reason
        ? `${state}: ${modelReady.reason}`
        : state || undefined;
    } else {
      phase = 'Unknown';
      message = state;
    }
  } else {
    ({ phase, message } = phaseFromReady(conditions, []));
  }
  const spec = object.spec ?? {};
  const desired = asNumber(spec.replicas) ?? asNumber(spec.minReplicas) ?? 1;
  const storageUri = asString(spec.storageUri);
  const requirements: string[] = Array.isArray(spec.requirements)
    ? spec.requirements.filter((r: unknown) => typeof r === 'string')
    : [];
  return {
    phase,
    ...(message ? { message } : {}),
    desiredReplicas: desired,
    availableReplicas: asNumber(object.status?.availableReplicas) ?? 0,
    versions: [
      {
        component: name,
        ...(storageUri ? { modelUri: storageUri } : {}),
        ...(requirements.length ? { runtime: requirements.join(', ') } : {}),
      },
    ],
    traffic: [{ name, percent: 100, role: 'main' }],
    endpoint: meshEndpoint(object.metadata?.namespace, name, name),
    conditions,
  };
}

/**
 * Normalizes a Seldon Core 2 `Pipeline` (`mlops.seldon.io/v1alpha1`).
 *
 * @public
 */
export function normalizeSeldonPipeline(
  object: KubernetesObject,
): NormalizedDeploymentStatus {
  const conditions = readConditions(object);
  const name = object.metadata?.name ?? 'pipeline';
  const steps: Array<{ name?: string }> = Array.isArray(object.spec?.steps)
    ? object.spec.steps
    : [];
  return {
    ...phaseFromReady(conditions, [
      'ModelsReady',
      'PipelineGwReady',
      'PipelineReady',
    ]),
    versions: steps
      .filter(s => asString(s?.name))
      .map(s => ({ component: s.name as string })),
    traffic: [{ name, percent: 100, role: 'main' }],
    endpoint: meshEndpoint(
      object.metadata?.namespace,
      name,
      `${name}.pipeline`,
    ),
    conditions,
  };
}

/**
 * Normalizes a Seldon Core 2 `Experiment` (`mlops.seldon.io/v1alpha1`):
 * candidates split traffic by weight, the `default` candidate is main and a
 * `mirror` receives a copy of `percent` of the requests.
 *
 * @public
 */
export function normalizeSeldonExperiment(
  object: KubernetesObject,
): NormalizedDeploymentStatus {
  const conditions = readConditions(object);
  const name = object.metadata?.name ?? 'experiment';
  const spec = object.spec ?? {};
  const candidates: Array<{ name: string; weight: number }> = (
    Array.isArray(spec.candidates) ? spec.candidates : []
  )
    .filter((c: any) => asString(c?.name))
    .map((c: any) => ({ name: c.name, weight: asNumber(c.weight) ?? 0 }));
  const totalWeight = candidates.reduce((s, c) => s + c.weight, 0);
  const defaultName = asString(spec.default);
  const heaviest = [...candidates].sort((a, b) => b.weight - a.weight)[0];
  const mainName = defaultName ?? heaviest?.name;
  const traffic: TrafficTarget[] = candidates.map(c => ({
    name: c.name,
    percent:
      totalWeight > 0 ? Math.round((c.weight * 10000) / totalWeight) / 100 : 0,
    role: c.name === mainName ? 'main' : 'canary',
  }));
  const mirrorName = asString(spec.mirror?.name);
  if (mirrorName) {
    traffic.push({
      name: mirrorName,
      percent: asNumber(spec.mirror?.percent) ?? 100,
      role: 'mirror',
    });
  }
  const isPipeline = spec.resourceType === 'pipeline';
  // With a default, the split applies on the default's own endpoint.
  const header = defaultName
    ? `${defaultName}${isPipeline ? '.pipeline' : ''}`
    : `${name}.experiment`;
  return {
    ...phaseFromReady(conditions, [
      'CandidatesReady',
      'MirrorReady',
      'ExperimentReady',
    ]),
    versions: [
      ...candidates.map(c => ({ component: c.name })),
      ...(mirrorName ? [{ component: mirrorName }] : []),
    ],
    traffic,
    endpoint: meshEndpoint(
      object.metadata?.namespace,
      defaultName ?? name,
      header,
    ),
    conditions,
  };
}
