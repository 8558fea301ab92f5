import { DeploymentPhase, NormalizedDeploymentStatus } from '../types';
import {
  KubernetesObject,
  asNumber,
  asString,
  findCondition,
  readConditions,
  withDeletion,
} from './kubernetesObject';

import { meshEndpoint, phaseFromReady } from './seldonCore2Status';

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
