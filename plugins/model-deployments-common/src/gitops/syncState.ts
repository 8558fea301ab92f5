import isEqual from 'lodash/isEqual';
import { KubernetesObject } from '../normalizers/kubernetesObject';
import { significantFields } from './significantFields';

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

/** Fields a server or webhook may fill in when Git leaves them out. */
const DEFAULTABLE =
  /(^|\.)(replicas|minReplicas|maxReplicas|implementation|runtime|modelFormat|requirements|server|shadow|traffic)$/;

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
    if (!isEqual(git, cluster)) {
      differences.push({ field, git, cluster });
    }
  }
  return differences.length
    ? { state: 'OutOfSync', differences }
    : { state: 'InSync' };
}
