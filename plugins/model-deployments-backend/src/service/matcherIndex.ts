import {
  KUBERNETES_ID_LABEL,
  KubernetesObject,
} from '@seed-mlops/plugin-model-deployments-common';
import { KindSnapshot } from '../cache/ModelResourceCache';
import { EnvironmentDesiredState } from '../gitops/GitOpsService';
import { EntityMatcher } from './entityMatcher';

/**
 * Many entities' matchers at once: an object is tested only against the
 * entities whose name or kubernetes-id it carries (and those with a label
 * selector), so the fleet costs one pass over each environment, not one per
 * model.
 */
export class MatcherIndex<T> {
  private readonly byName = new Map<string, T[]>();
  private readonly byKubernetesId = new Map<string, T[]>();
  private readonly unkeyed: T[] = [];

  constructor(
    entries: T[],
    private readonly matcherOf: (entry: T) => EntityMatcher,
  ) {
    for (const entry of entries) this.add(entry);
  }

  /** One more entry, found from now on. */
  add(entry: T) {
    const key = this.matcherOf(entry).key;
    if (key && 'name' in key) push(this.byName, key.name, entry);
    else if (key) push(this.byKubernetesId, key.kubernetesId, entry);
    else this.unkeyed.push(entry);
  }

  /**
   * Forgets an entry added before (the same object, its matcher unchanged,
   * so it is looked for under the key it was added with).
   */
  remove(entry: T) {
    const key = this.matcherOf(entry).key;
    if (key && 'name' in key) pull(this.byName, key.name, entry);
    else if (key) pull(this.byKubernetesId, key.kubernetesId, entry);
    else removeFrom(this.unkeyed, entry);
  }

  /** The entries an object belongs to. */
  entriesOf(object: KubernetesObject): T[] {
    const candidates = [
      ...(this.byName.get(object.metadata?.name ?? '') ?? []),
      ...(this.byKubernetesId.get(
        object.metadata?.labels?.[KUBERNETES_ID_LABEL] ?? '',
      ) ?? []),
      ...this.unkeyed,
    ];
    return candidates.filter(entry => this.matcherOf(entry)(object));
  }

  /** Each entry's share of the snapshots: every kind, only its objects. */
  snapshotsOf(snapshots: KindSnapshot[]): Map<T, KindSnapshot[]> {
    const shares = new Map<T, KindSnapshot[]>();
    snapshots.forEach((snapshot, i) => {
      for (const object of snapshot.objects) {
        for (const entry of this.entriesOf(object)) {
          let share = shares.get(entry);
          if (!share) {
            share = snapshots.map(s => ({ ...s, objects: [] }));
            shares.set(entry, share);
          }
          (share[i].objects as KubernetesObject[]).push(object);
        }
      }
    });
    return shares;
  }

  /** Each entry's share of the manifests in Git (looked up by identity as before). */
  desiredOf(desired: EnvironmentDesiredState): Map<T, EnvironmentDesiredState> {
    const shares = new Map<T, EnvironmentDesiredState>();
    for (const [kind, manifests] of desired.index.byKind) {
      for (const manifest of manifests) {
        for (const entry of this.entriesOf(manifest.object)) {
          let share = shares.get(entry);
          if (!share) {
            share = {
              git: desired.git,
              index: {
                byIdentity: desired.index.byIdentity,
                byKind: new Map(),
              },
            };
            shares.set(entry, share);
          }
          const ofKind = share.index.byKind.get(kind) ?? [];
          ofKind.push(manifest);
          share.index.byKind.set(kind, ofKind);
        }
      }
    }
    return shares;
  }
}

function push<T>(map: Map<string, T[]>, key: string, entry: T) {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

/** Drops the key once its list is empty, so forgotten keys do not pile up. */
function pull<T>(map: Map<string, T[]>, key: string, entry: T) {
  const list = map.get(key);
  if (!list) return;
  removeFrom(list, entry);
  if (!list.length) map.delete(key);
}

function removeFrom<T>(list: T[], entry: T) {
  const at = list.indexOf(entry);
  if (at >= 0) list.splice(at, 1);
}
