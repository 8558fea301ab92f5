import {
  ModelVersion,
  NormalizedDeploymentStatus,
  TrafficTarget,
} from '../types';
import {
  KubernetesObject,
  asNumber,
  asString,
  conditionSummary,
  firstFalseCondition,
  readConditions,
} from './kubernetesObject';

/** Seldon Enterprise Platform marks a canary predictor with this annotation. */
export const SELDON_CANARY_ANNOTATION = 'seldon.io/canary';

type Predictor = {
  name?: string;
  traffic?: number;
  shadow?: boolean;
  replicas?: number;
  annotations?: Record<string, string>;
  graph?: GraphNode;
  componentSpecs?: Array<{
    replicas?: number;
    spec?: { containers?: Array<{ name?: string; image?: string }> };
  }>;
};

type GraphNode = {
  name?: string;
  implementation?: string;
  modelUri?: string;
  children?: GraphNode[];
};

function predictorsOf(object: KubernetesObject): Predictor[] {
  const predictors = object.spec?.predictors;
  return Array.isArray(predictors) ? predictors.filter(Boolean) : [];
}

function versionsOfPredictor(predictor: Predictor): ModelVersion[] {
  const images = new Map<string, string>();
  for (const componentSpec of predictor.componentSpecs ?? []) {
    for (const container of componentSpec?.spec?.containers ?? []) {
      if (container?.name && container.image) {
        images.set(container.name, container.image);
      }
    }
  }
  const versions: ModelVersion[] = [];
  const visit = (node: GraphNode | undefined, depth: number) => {
    // The CRD nests graphs at most 10 levels deep; guard against cycles in bad input.
    if (!node || depth > 10) {
      return;
    }
    const nodeName = asString(node.name) ?? 'model';
    const modelUri = asString(node.modelUri);
    const image = images.get(nodeName);
    if (modelUri || image) {
      versions.push({
        component: `${predictor.name ?? 'default'}/${nodeName}`,
        ...(modelUri ? { modelUri } : {}),
        ...(image ? { image } : {}),
        ...(asString(node.implementation)
          ? { runtime: node.implementation }
          : {}),
      });
    }
    for (const child of Array.isArray(node.children) ? node.children : []) {
      visit(child, depth + 1);
    }
  };
  visit(predictor.graph, 0);
  return versions;
}

function trafficOf(predictors: Predictor[]): TrafficTarget[] {
  const live = predictors.filter(p => !p.shadow);
  const shadows = predictors.filter(p => p.shadow);
  const traffic: TrafficTarget[] = [];
  if (live.length === 1) {
    // A single live predictor takes everything, whatever `traffic` says.
    traffic.push({
      name: live[0].name ?? 'default',
      percent: 100,
      role: 'main',
    });
  } else if (live.length > 1) {
    const explicitCanary = live.filter(
      p => p.annotations?.[SELDON_CANARY_ANNOTATION] === 'true',
    );
    // Without the annotation, the predictor with the largest share is main.
    const main =
      live.find(
        p => !explicitCanary.includes(p) && explicitCanary.length > 0,
      ) ?? [...live].sort((a, b) => (b.traffic ?? 0) - (a.traffic ?? 0))[0];
    for (const p of live) {
      traffic.push({
        name: p.name ?? 'default',
        percent: asNumber(p.traffic) ?? 0,
        role: p === main ? 'main' : 'canary',
      });
    }
  }
  for (const p of shadows) {
    traffic.push({ name: p.name ?? 'shadow', percent: 100, role: 'shadow' });
  }
  return traffic;
}

function replicasOf(object: KubernetesObject, predictors: Predictor[]) {
  const deploymentStatus = object.status?.deploymentStatus;
  if (deploymentStatus && typeof deploymentStatus === 'object') {
    let desired = 0;
    let available = 0;
    for (const d of Object.values<any>(deploymentStatus)) {
      desired += asNumber(d?.replicas) ?? 0;
      available += asNumber(d?.availableReplicas) ?? 0;
    }
    return { desiredReplicas: desired, availableReplicas: available };
  }
  const specReplicas = asNumber(object.spec?.replicas);
  const desired = predictors.reduce(
    (sum, p) => sum + (asNumber(p.replicas) ?? specReplicas ?? 1),
    0,
  );
  return { desiredReplicas: desired, availableReplicas: 0 };
}

/**
 * Normalizes a Seldon Core v1 `SeldonDeployment` (`machinelearning.seldon.io/v1`).
 *
 * `status.state` is `Available | Creating | Failed`; canary and shadow come
 * from the predictors' `traffic`, `shadow` and the `seldon.io/canary` annotation.
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
  const url = asString(object.status?.address?.url);
  return {
    phase,
    ...(message ? { message } : {}),
    ...replicasOf(object, predictors),
    versions: predictors.flatMap(versionsOfPredictor),
    traffic: trafficOf(predictors),
    ...(url ? { endpoint: { url } } : {}),
    conditions,
  };
}
