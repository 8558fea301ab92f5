import {
  Environment,
  FleetDeployment,
  ModelDeployment,
} from '@seed-mlops/plugin-model-deployments-common';
import { ManifestIndex } from '../gitops/parseManifests';
import { EnvironmentRead } from './DeploymentReader';
import { EntityMatcher } from './entityMatcher';
import { environmentResult } from './environmentResult';
import { MatcherIndex } from './matcherIndex';

/** What the fleet page shows of a deployment; absent values stay absent. */
export function fleetDeploymentOf(
  deployment: ModelDeployment,
): FleetDeployment {
  const { environment, kind, name, phase, versions } = deployment;
  const { message, warnings, desiredReplicas, availableReplicas, sync } =
    deployment;
  return {
    environment,
    kind,
    name,
    phase,
    versions,
    ...(message !== undefined ? { message } : {}),
    ...(warnings !== undefined ? { warnings } : {}),
    ...(desiredReplicas !== undefined ? { desiredReplicas } : {}),
    ...(availableReplicas !== undefined ? { availableReplicas } : {}),
    ...(sync !== undefined ? { sync: { state: sync.state } } : {}),
  };
}

/** One environment's rows and what they were computed from. */
interface EnvironmentRows {
  /** The environment and its informers' revisions, Git commit and error. */
  key: string;
  index?: ManifestIndex;
  /** Rows by matcher rule: entities with the same rule share them. */
  byRule: Map<string, FleetDeployment[]>;
}

/**
 * The fleet's rows of each environment, kept while the environment is
 * unchanged: a watch event or a new commit changes its key, and its rows
 * are computed again (from normalizations kept per object, see
 * `memoized.ts`) on the next fleet request. A fleet request for unchanged
 * environments computes only the rows of models it has not seen.
 */
export class FleetRows {
  private readonly byEnvironment = new Map<string, EnvironmentRows>();

  rowsOf(
    env: Environment,
    read: EnvironmentRead,
    matchers: EntityMatcher[],
  ): Map<string, FleetDeployment[]> {
    const key = keyOf(env, read);
    let kept = this.byEnvironment.get(env.name);
    if (
      !kept ||
      key === undefined ||
      kept.key !== key ||
      kept.index !== read.desired?.index
    ) {
      kept = { key: key ?? '', index: read.desired?.index, byRule: new Map() };
      // Not kept when a snapshot has no revision: nothing says it is unchanged.
      if (key !== undefined) this.byEnvironment.set(env.name, kept);
      else this.byEnvironment.delete(env.name);
    }
    const missing = new Map<string, EntityMatcher>();
    for (const matcher of matchers) {
      if (!kept.byRule.has(matcher.rule)) missing.set(matcher.rule, matcher);
    }
    if (missing.size > 0) {
      computeRows(env, read, [...missing.values()], kept.byRule);
    }
    return kept.byRule;
  }

  /** Drops what is kept of environments that are no longer configured. */
  retain(environmentNames: Iterable<string>) {
    const names = new Set(environmentNames);
    for (const name of this.byEnvironment.keys()) {
      if (!names.has(name)) this.byEnvironment.delete(name);
    }
  }
}

/** What an environment's views are computed from; undefined when a snapshot cannot say. */
export function keyOf(
  env: Environment,
  read: EnvironmentRead,
): string | undefined {
  const revisions = read.snapshots.map(s => s.revision);
  if (revisions.some(r => r === undefined)) return undefined;
  const git = read.desired?.git;
  return JSON.stringify([env, revisions, git?.commit, git?.error]);
}

/** One pass over the environment: each object to the rules it belongs to. */
function computeRows(
  env: Environment,
  { snapshots, desired }: EnvironmentRead,
  matchers: EntityMatcher[],
  into: Map<string, FleetDeployment[]>,
) {
  const index = new MatcherIndex(matchers, m => m);
  const objects = index.snapshotsOf(snapshots);
  const manifests = desired ? index.desiredOf(desired) : undefined;
  const none = snapshots.map(snapshot => ({ ...snapshot, objects: [] }));
  for (const matcher of matchers) {
    const ownDesired =
      desired &&
      (manifests?.get(matcher) ?? {
        git: desired.git,
        index: { byIdentity: desired.index.byIdentity, byKind: new Map() },
      });
    const { deployments } = environmentResult(
      env,
      objects.get(matcher) ?? none,
      matcher,
      ownDesired,
      snapshots,
    );
    into.set(matcher.rule, deployments.map(fleetDeploymentOf));
  }
}
