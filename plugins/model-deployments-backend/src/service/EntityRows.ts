import {
  Environment,
  ModelDeployment,
} from '@seed-mlops/plugin-model-deployments-common';
import { LRUCache } from 'lru-cache';
import { ManifestIndex } from '../gitops/parseManifests';
import { EnvironmentRead } from './DeploymentReader';
import { EntityMatcher } from './entityMatcher';
import { keyOf } from './FleetRows';

/** Entity pages kept per environment: one per model being looked at. */
const MAX_KEPT = 10_000;

/**
 * The entity view's deployments of each model in each environment, kept
 * while the environment is unchanged (its informers' revisions, its Git
 * commit and error): an entity page seen again is answered without looking
 * at the environment's objects. A watch event or a commit changes the key,
 * and the next view computes it again (from normalizations kept per
 * object). Entries are shared: callers copy before they change one.
 */
export class EntityRows {
  private readonly kept = new LRUCache<
    string,
    { key: string; index?: ManifestIndex; deployments: ModelDeployment[] }
  >({ max: MAX_KEPT });

  /** The deployments `compute` gives, or those it gave for the same state. */
  async deploymentsOf(
    env: Environment,
    read: EnvironmentRead,
    matches: EntityMatcher,
    compute: () => Promise<ModelDeployment[]>,
  ): Promise<ModelDeployment[]> {
    const key = keyOf(env, read);
    if (key === undefined) return compute();
    const id = `${env.name}\n${matches.rule}`;
    const entry = this.kept.get(id);
    if (entry && entry.key === key && entry.index === read.desired?.index) {
      return entry.deployments;
    }
    const deployments = await compute();
    this.kept.set(id, { key, index: read.desired?.index, deployments });
    return deployments;
  }
}
