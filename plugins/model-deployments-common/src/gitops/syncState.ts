import { KubernetesObject } from '../normalizers/kubernetesObject';

/**
 * How a deployment's live object compares with its manifest in Git.
 *
 * @public
 */
export type SyncState =
  | 'InSync'
  | 'OutOfSync'
  | 'MissingInCluster'
  | 'NotInGit'
  | 'Unknown';

/**
 * One field that differs between Git and the cluster.
 *
 * @public
 */
export interface SyncDifference {
  /** Readable path, e.g. `predictors[canary].graph.modelUri`. */
  field: string;
  /** Value in Git; undefined when Git does not set it. */
  git?: unknown;
  /** Value in the cluster; undefined when the cluster does not have it. */
  cluster?: unknown;
}

/**
 * The sync state of one deployment, with what differs when out of sync.
 *
 * @public
 */
export interface SyncStatus {
  state: SyncState;
  /** For `OutOfSync`: the fields that matter and differ. */
  differences?: SyncDifference[];
  /** For `Unknown`: why the state could not be told. */
  reason?: string;
}

type Fields = Map<string, unknown>;

function put(fields: Fields, key: string, value: unknown) {
  if (value !== undefined && value !== null && value !== '') {
    fields.set(key, value);
  }
}

function containerImages(fields: Fields, prefix: string, podSpec: any) {
  const containers: any[] = Array.isArray(podSpec?.containers)
    ? podSpec.containers
    : [];
  for (const container of containers) {
    put(
      fields,
      `${prefix}containers[${container?.name ?? '?'}].image`,
      container?.image,
    );
  }
}

function graphUris(fields: Fields, prefix: string, node: any, depth = 0) {
  if (!node || depth > 20) return;
  const here = `${prefix}.graph${depth ? `[${node.name ?? '?'}]` : ''}`;
  put(fields, `${here}.modelUri`, node.modelUri);
  put(fields, `${here}.implementation`, node.implementation);
  for (const child of Array.isArray(node.children) ? node.children : []) {
    graphUris(fields, prefix, child, depth + 1);
  }
}

/**
 * The spec fields that decide what serves and how much traffic it gets:
 * model URIs, images, replicas and traffic. Status, metadata and fields the
 * server defaults are left out, so a faithful apply compares equal.
 */
function significantFields(object: KubernetesObject): Fields {
  const fields: Fields = new Map();
  const spec = object.spec ?? {};
  switch (object.kind) {
    case 'SeldonDeployment':
      put(fields, 'replicas', spec.replicas);
      for (const predictor of Array.isArray(spec.predictors)
        ? spec.predictors
        : []) {
        const prefix = `predictors[${predictor?.name ?? '?'}]`;
        graphUris(fields, prefix, predictor?.graph);
        put(fields, `${prefix}.replicas`, predictor?.replicas);
        put(fields, `${prefix}.traffic`, predictor?.traffic);
        put(fields, `${prefix}.shadow`, predictor?.shadow || undefined);
        for (const [i, componentSpec] of (Array.isArray(
          predictor?.componentSpecs,
        )
          ? predictor.componentSpecs
          : []
        ).entries()) {
          containerImages(
            fields,
            `${prefix}.componentSpecs[${i}].`,
            componentSpec?.spec,
          );
          put(
            fields,
            `${prefix}.componentSpecs[${i}].replicas`,
            componentSpec?.replicas,
          );
        }
      }
      break;
    case 'Model':
      put(fields, 'storageUri', spec.storageUri);
      put(fields, 'replicas', spec.replicas);
      put(fields, 'minReplicas', spec.minReplicas);
      put(fields, 'maxReplicas', spec.maxReplicas);
      put(
        fields,
        'requirements',
        Array.isArray(spec.requirements)
          ? spec.requirements.join(', ')
          : undefined,
      );
      put(fields, 'server', spec.server);
      break;
    case 'Pipeline':
      put(
        fields,
        'steps',
        Array.isArray(spec.steps)
          ? spec.steps
              .map(
                (s: any) =>
                  `${s?.name}${
                    Array.isArray(s?.inputs) && s.inputs.length
                      ? `<-${s.inputs.join('+')}`
                      : ''
                  }`,
              )
              .join(', ')
          : undefined,
      );
      put(
        fields,
        'output',
        Array.isArray(spec.output?.steps)
          ? spec.output.steps.join(', ')
          : undefined,
      );
      break;
    case 'Experiment':
      put(fields, 'default', spec.default);
      for (const candidate of Array.isArray(spec.candidates)
        ? spec.candidates
        : []) {
        put(
          fields,
          `candidates[${candidate?.name ?? '?'}].weight`,
          candidate?.weight,
        );
      }
      put(fields, 'mirror.name', spec.mirror?.name);
      put(fields, 'mirror.percent', spec.mirror?.percent);
      break;
    case 'InferenceService':
      for (const component of ['predictor', 'transformer', 'explainer']) {
        const c = spec[component];
        if (!c) continue;
        put(fields, `${component}.minReplicas`, c.minReplicas);
        put(fields, `${component}.maxReplicas`, c.maxReplicas);
        put(
          fields,
          `${component}.canaryTrafficPercent`,
          c.canaryTrafficPercent,
        );
        put(fields, `${component}.model.storageUri`, c.model?.storageUri);
        put(
          fields,
          `${component}.model.modelFormat`,
          c.model?.modelFormat?.name,
        );
        put(fields, `${component}.model.runtime`, c.model?.runtime);
        containerImages(fields, `${component}.`, c);
        // Older per-framework shorthand, e.g. `sklearn: { storageUri }`.
        for (const [key, value] of Object.entries(c)) {
          if (
            value &&
            typeof value === 'object' &&
            typeof (value as any).storageUri === 'string' &&
            key !== 'model'
          ) {
            put(
              fields,
              `${component}.${key}.storageUri`,
              (value as any).storageUri,
            );
          }
        }
      }
      break;
    default:
      // An added kind: compare its whole spec as one value.
      put(fields, 'spec', JSON.stringify(spec));
  }
  return fields;
}

/** Fields a server or webhook may fill in when Git leaves them out. */
const DEFAULTABLE =
  /(^|\.)(replicas|minReplicas|maxReplicas|implementation|runtime|modelFormat|requirements|server|shadow|traffic)$/;

function same(a: unknown, b: unknown) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Compares a deployment's manifest in Git with its live object.
 *
 * @param desired - the object from Git, or undefined when Git has none
 * @param live - the object from the cluster, or undefined when it has none
 * @public
 */
export function compareWithGit(
  desired: KubernetesObject | undefined,
  live: KubernetesObject | undefined,
): SyncStatus {
  if (!desired && !live) {
    return {
      state: 'Unknown',
      reason: 'Neither Git nor the cluster has this object.',
    };
  }
  if (!desired) return { state: 'NotInGit' };
  if (!live) return { state: 'MissingInCluster' };
  if (desired.kind !== live.kind) {
    return {
      state: 'Unknown',
      reason: `Git has a ${desired.kind}, the cluster a ${live.kind}.`,
    };
  }
  const inGit = significantFields(desired);
  const inCluster = significantFields(live);
  const differences: SyncDifference[] = [];
  for (const field of new Set([...inGit.keys(), ...inCluster.keys()])) {
    const git = inGit.get(field);
    const cluster = inCluster.get(field);
    // A defaultable field Git leaves out is the server's to fill in; a model
    // URI or image only the cluster has (a canary Git removed) is drift.
    if (git === undefined && DEFAULTABLE.test(field)) continue;
    if (!same(git, cluster)) {
      differences.push({ field, git, cluster });
    }
  }
  return differences.length
    ? { state: 'OutOfSync', differences }
    : { state: 'InSync' };
}
