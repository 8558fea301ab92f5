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
  withDeletion,
} from './kubernetesObject';
import { splitWarnings } from './traffic';

/**
 * Seldon Enterprise Platform marks a canary predictor with this annotation.
 *
 * @public
 */
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
  const explainer = (predictor as { explainer?: any }).explainer;
  const explainerUri = asString(explainer?.modelUri);
  if (explainerUri) {
    versions.push({
      component: `${predictor.name ?? 'default'}/explainer`,
      modelUri: explainerUri,
      ...(asString(explainer.type) ? { runtime: explainer.type } : {}),
    });
  }
  return versions;
}

function trafficOf(predictors: Predictor[]): {
  traffic: TrafficTarget[];
  warnings: string[];
} {
  const live = predictors.filter(p => p.shadow !== true);
  const shadows = predictors.filter(p => p.shadow === true);
  const traffic: TrafficTarget[] = [];
  const warnings: string[] = [];
  if (live.length === 1) {
    // The operator sends everything to a single live predictor; a stated
    // share other than 100 is kept, and flagged, never rewritten.
    traffic.push({
      name: live[0].name ?? 'default',
      percent: asNumber(live[0].traffic) ?? 100,
      role: 'main',
    });
  } else if (live.length > 1) {
    // Only Seldon Enterprise Platform's annotation makes a predictor a
    // canary; two predictors without it are peers (an A/B test), whatever
    // their names or shares.
    const unstated = live.filter(p => asNumber(p.traffic) === undefined);
    if (unstated.length > 0) {
      warnings.push(
        `${unstated.map(p => p.name ?? 'default').join(', ')} state${
          unstated.length === 1 ? 's' : ''
        } no traffic share; ${
          live.length
        } live predictors need shares that add up to 100 %`,
      );
    }
    for (const p of live) {
      const percent = asNumber(p.traffic);
      if (percent === undefined) continue;
      traffic.push({
        name: p.name ?? 'default',
        percent,
        role:
          p.annotations?.[SELDON_CANARY_ANNOTATION] === 'true'
            ? 'canary'
            : 'main',
      });
    }
  }
  for (const p of shadows) {
    // A shadow gets a copy of every request; its `traffic` is not a share.
    traffic.push({ name: p.name ?? 'shadow', percent: 100, role: 'shadow' });
  }
  return { traffic, warnings };
}

const sum = (values: Array<number | undefined>) =>
  values.some(v => v !== undefined)
    ? values.reduce<number>((total, v) => total + (v ?? 0), 0)
    : undefined;

/**
 * Replicas as the resource states them, absent when it states none.
 * Status first: `deploymentStatus` (v1: `replicas`, `availableReplicas`)
 * or the older `predictorStatus[]` (`replicas`, `replicasAvailable`). Else
 * the spec, resolved the way the operator does for each component's
 * Deployment: `componentSpecs[].replicas`, else the predictor's `replicas`,
 * else `spec.replicas`, else 1; only when at least one level states a number.
 */
function replicasOf(object: KubernetesObject, predictors: Predictor[]) {
  const status = object.status ?? {};
  let deploymentStatus: any[] | undefined;
  if (status.deploymentStatus && typeof status.deploymentStatus === 'object') {
    deploymentStatus = Object.values(status.deploymentStatus);
  } else if (Array.isArray(status.predictorStatus)) {
    deploymentStatus = status.predictorStatus;
  }
  let desired: number | undefined;
  let available: number | undefined;
  if (deploymentStatus && deploymentStatus.length > 0) {
    desired = sum(deploymentStatus.map(d => asNumber(d?.replicas)));
    available = sum(
      deploymentStatus.map(
        d => asNumber(d?.availableReplicas) ?? asNumber(d?.replicasAvailable),
      ),
    );
  }
  if (desired === undefined) {
    const specReplicas = asNumber(object.spec?.replicas);
    const stated =
      specReplicas !== undefined ||
      predictors.some(
        p =>
          asNumber(p.replicas) !== undefined ||
          (p.componentSpecs ?? []).some(
            c => asNumber(c?.replicas) !== undefined,
          ),
      );
    if (stated) {
      // Shadow predictors run Deployments of their own too.
      desired = predictors.reduce((total, p) => {
        const own = asNumber(p.replicas) ?? specReplicas ?? 1;
        const components = p.componentSpecs?.length
          ? p.componentSpecs.map(c => asNumber(c?.replicas) ?? own)
          : [own];
        return total + components.reduce((a, b) => a + b, 0);
      }, 0);
    }
  }
  return {
    ...(desired !== undefined ? { desiredReplicas: desired } : {}),
    ...(available !== undefined ? { availableReplicas: available } : {}),
  };
}

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
