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
  withDeletion,
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

/** `spec.steps[]` properties of the mlops.seldon.io Pipeline CRD (v2.8). */
const PIPELINE_STEP_KEYS = new Set([
  'name',
  'inputs',
  'inputsJoinType',
  'joinWindowMs',
  'tensorMap',
  'triggers',
  'triggersJoinType',
  'batch',
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
    // Some operator versions report only the parts (e.g. ModelsReady and
    // PipelineReady for a Pipeline): all True is Ready, any False is not.
    const parts = conditions.filter(c => subConditions.includes(c.type));
    if (parts.length > 0 && parts.every(c => c.status === 'True')) {
      return { phase: 'Ready' };
    }
    const culprit = firstFalseCondition(parts);
    if (culprit) {
      const failed = /fail|error|invalid/i.test(
        `${culprit.reason ?? ''} ${culprit.message ?? ''}`,
      );
      return {
        phase: failed ? 'Failed' : 'Progressing',
        message: conditionSummary(culprit),
      };
    }
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
  const desired = asNumber(spec.replicas) ?? asNumber(spec.minReplicas);
  const available = asNumber(object.status?.availableReplicas);
  const server = asString(spec.server);
  const storageUri = asString(spec.storageUri);
  // The CRD requires `storageUri`: without it there is no model to load.
  const warnings = storageUri
    ? []
    : ['spec.storageUri is missing: the Model names no artifact to load'];
  const requirements: string[] = Array.isArray(spec.requirements)
    ? spec.requirements.filter((r: unknown) => typeof r === 'string')
    : [];
  return withDeletion(object, {
    phase,
    ...(message ? { message } : {}),
    ...(desired !== undefined ? { desiredReplicas: desired } : {}),
    ...(available !== undefined ? { availableReplicas: available } : {}),
    ...(server ? { server: { name: server } } : {}),
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
    ...(warnings.length ? { warnings } : {}),
  });
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
  // Keys of a step in the Pipeline CRD; the operator drops any other, so a
  // typo such as `input` for `inputs` silently rewires the pipeline.
  const warnings = steps.flatMap(step => {
    if (!step || typeof step !== 'object') return [];
    const unknown = Object.keys(step).filter(
      key => !PIPELINE_STEP_KEYS.has(key),
    );
    return unknown.length
      ? [
          `Step ${asString(step.name) ?? '(unnamed)'} has unknown key${
            unknown.length > 1 ? 's' : ''
          } ${unknown.join(', ')}; the Pipeline CRD knows ${[
            ...PIPELINE_STEP_KEYS,
          ].join(', ')}`,
        ]
      : [];
  });
  return withDeletion(object, {
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
    ...(warnings.length ? { warnings } : {}),
  });
}

/**
 * Normalizes a Seldon Core 2 `Experiment` (`mlops.seldon.io/v1alpha1`):
 * candidates split traffic by weight, the `default` candidate is main (with
 * no default every candidate is a canary) and a `mirror` receives a copy of
 * `percent` of the requests. An Experiment without candidates is flagged.
 *
 * @public
 */
export function normalizeSeldonExperiment(
  object: KubernetesObject,
): NormalizedDeploymentStatus {
  const conditions = readConditions(object);
  const name = object.metadata?.name ?? 'experiment';
  const spec = object.spec ?? {};
  const rawCandidates: any[] = Array.isArray(spec.candidates)
    ? spec.candidates
    : [];
  // `modelName` is the key of the first Experiment releases.
  const candidates = rawCandidates
    .map((c: any) => ({
      name: asString(c?.name) ?? asString(c?.modelName),
      weight: asNumber(c?.weight),
    }))
    .filter((c): c is { name: string; weight: number | undefined } =>
      Boolean(c.name),
    );
  const warnings: string[] = [];
  if (candidates.length === 0) {
    warnings.push('The Experiment has no candidates: it routes nothing');
  }
  const totalWeight = candidates.reduce((sum, c) => sum + (c.weight ?? 0), 0);
  // `defaultModel` is the key of the first Experiment releases.
  const defaultName = asString(spec.default) ?? asString(spec.defaultModel);
  // Weights are relative: each candidate's share is its weight over the total.
  const traffic: TrafficTarget[] = candidates.map(c => ({
    name: c.name,
    percent:
      totalWeight > 0
        ? Math.round(((c.weight ?? 0) * 10000) / totalWeight) / 100
        : 0,
    // Without a default, no candidate is the baseline: each is on trial.
    role: c.name === defaultName ? 'main' : 'canary',
  }));
  if (candidates.length > 0 && totalWeight <= 0) {
    warnings.push(
      "The candidates' weights add up to 0: no share can be worked out",
    );
  }
  if (spec.mirror && typeof spec.mirror === 'object') {
    const mirrorName = asString(spec.mirror.name);
    if (mirrorName) {
      traffic.push({
        name: mirrorName,
        percent: asNumber(spec.mirror.percent) ?? 100,
        role: 'mirror',
      });
    } else {
      warnings.push('The mirror names no target');
    }
  }
  const mirrorName = asString(spec.mirror?.name);
  const isPipeline = spec.resourceType === 'pipeline';
  // With a default, the split applies on the default's own endpoint.
  const header = defaultName
    ? `${defaultName}${isPipeline ? '.pipeline' : ''}`
    : `${name}.experiment`;
  return withDeletion(object, {
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
    ...(warnings.length ? { warnings } : {}),
  });
}

/**
 * Normalizes a Seldon Core 2 `Server` (`mlops.seldon.io/v1alpha1`): the
 * pods Models are loaded on. Its `Ready` condition gives the phase; replicas
 * and loaded models are shown as stated.
 *
 * @public
 */
export function normalizeSeldonServer(
  object: KubernetesObject,
): NormalizedDeploymentStatus {
  const conditions = readConditions(object);
  const name = object.metadata?.name ?? 'server';
  const spec = object.spec ?? {};
  const { phase, message } = phaseFromReady(conditions, []);
  const desired = asNumber(spec.replicas) ?? asNumber(spec.minReplicas);
  const replicas = asNumber(object.status?.replicas);
  const loaded = asNumber(object.status?.loadedModels);
  const serverConfig = asString(spec.serverConfig);
  const image = asString(spec.podSpec?.containers?.[0]?.image);
  const loadedText =
    loaded !== undefined
      ? `${loaded} model${loaded === 1 ? '' : 's'} loaded`
      : undefined;
  const summary = [message, loadedText].filter(Boolean).join('; ');
  return {
    // Scaled to zero on purpose.
    phase: desired === 0 && phase !== 'Failed' ? 'Stopped' : phase,
    ...(summary ? { message: summary } : {}),
    ...(desired !== undefined ? { desiredReplicas: desired } : {}),
    ...(replicas !== undefined ? { availableReplicas: replicas } : {}),
    versions: [
      {
        component: name,
        ...(image ? { image } : {}),
        ...(serverConfig ? { runtime: serverConfig } : {}),
      },
    ],
    traffic: [],
    conditions,
  };
}
