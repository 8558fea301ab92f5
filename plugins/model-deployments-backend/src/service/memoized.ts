import {
  KubernetesObject,
  ModelDeployment,
  ModelResourceKind,
  SyncStatus,
  compareWithGit,
  toModelDeployment,
} from '@seed-mlops/plugin-model-deployments-common';

/*
 * Normalizing a resource and comparing it with Git are pure functions of
 * the objects, and the watch cache replaces an object when it changes
 * (a watch event brings a new one; an unchanged object stays the same
 * object). So each result is kept against the object it came from: a
 * page view normalizes only what changed since the last view, and a
 * result goes when its object is dropped from the cache.
 */
const deployments = new WeakMap<
  KubernetesObject,
  { kind: ModelResourceKind; environment: string; deployment: ModelDeployment }
>();
const syncStates = new WeakMap<
  KubernetesObject,
  { desired: KubernetesObject | undefined; sync: SyncStatus }
>();

/**
 * {@link toModelDeployment}, once per object. Callers get their own shallow
 * copy to add Git state to; the nested values are shared and never changed.
 */
export function deploymentOf(
  object: KubernetesObject,
  kind: ModelResourceKind,
  environment: string,
): ModelDeployment {
  let kept = deployments.get(object);
  if (kept?.environment !== environment || kept.kind !== kind) {
    kept = {
      kind,
      environment,
      deployment: toModelDeployment(object, kind, environment),
    };
    deployments.set(object, kept);
  }
  return { ...kept.deployment };
}

/** {@link compareWithGit}, once per pair of Git and live objects. */
export function syncStateOf(
  desired: KubernetesObject | undefined,
  live: KubernetesObject,
): SyncStatus {
  const kept = syncStates.get(live);
  if (kept && kept.desired === desired) return kept.sync;
  const sync = compareWithGit(desired, live);
  syncStates.set(live, { desired, sync });
  return sync;
}
