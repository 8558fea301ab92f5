import {
  Environment,
  EnvironmentDeployments,
  EnvironmentError,
  ModelDeployment,
} from '@seed-mlops/plugin-model-deployments-common';
import { KindSnapshot } from '../cache/ModelResourceCache';
import { EnvironmentDesiredState } from '../gitops/GitOpsService';
import { EntityMatcher } from './entityMatcher';
import { addGitSync, notYetApplied } from './gitState';
import { deploymentOf } from './memoized';

/** The most telling error when every kind failed: not "CRD missing" if something else went wrong. */
function environmentErrorOf(
  env: Environment,
  failures: EnvironmentError[],
): EnvironmentError {
  const real = failures.find(f => f.type !== 'RESOURCE_TYPE_MISSING');
  if (real) {
    const { resourceKind: _ignored, ...rest } = real;
    return rest;
  }
  return {
    type: 'RESOURCE_TYPE_MISSING',
    message: `Cluster '${
      env.cluster
    }' has none of the model-serving resource kinds installed (${failures
      .map(f => f.resourceKind)
      .join(', ')}).`,
  };
}

/**
 * Adds to each Seldon Core 2 Model the state of the Server it asks for, when
 * that Server is in the same namespace of the environment's cluster.
 */
function withServerStates(
  deployments: ModelDeployment[],
  snapshots: KindSnapshot[],
) {
  const servers = snapshots.find(
    s => s.kind.group === 'mlops.seldon.io' && s.kind.kind === 'Server',
  );
  if (!servers) return;
  for (const deployment of deployments) {
    if (!deployment.server) continue;
    const object = servers.objects.find(
      o =>
        o.metadata?.name === deployment.server!.name &&
        o.metadata?.namespace === deployment.namespace,
    );
    if (!object) continue;
    const { phase, message } = deploymentOf(
      object,
      servers.kind,
      deployment.environment,
    );
    deployment.server = {
      ...deployment.server,
      phase,
      ...(message ? { message } : {}),
    };
  }
}

/**
 * One environment as read from the cache: the deployments `matches` accepts,
 * compared with Git when there is a desired state, and the environment's
 * status (error, warnings, when it was last synced).
 */
export function environmentResult(
  env: Environment,
  snapshots: KindSnapshot[],
  matches: EntityMatcher,
  desired?: EnvironmentDesiredState,
  /** Where Models' Servers are looked up, when `snapshots` hold only some objects. */
  serversFrom: KindSnapshot[] = snapshots,
): EnvironmentDeployments {
  const seen = new Set<string>();
  const deployments: ModelDeployment[] = [];
  for (const snapshot of snapshots) {
    for (const object of snapshot.objects) {
      if (!matches(object)) continue;
      const deployment = deploymentOf(object, snapshot.kind, env.name);
      if (desired) addGitSync(deployment, object, env, desired, seen);
      deployments.push(deployment);
    }
    // In Git but not in a cluster that was read completely: not applied yet.
    if (desired?.git.commit && snapshot.state === 'synced') {
      deployments.push(...notYetApplied(snapshot, env, matches, desired, seen));
    }
  }
  withServerStates(deployments, serversFrom);
  deployments.sort(
    (a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name),
  );
  const failures = snapshots
    .map(s => s.error)
    .filter((e): e is EnvironmentError => Boolean(e));
  const syncTimes = snapshots
    .map(s => s.syncedAt?.getTime())
    .filter((t): t is number => t !== undefined);
  const syncedAt =
    syncTimes.length === snapshots.length
      ? new Date(Math.min(...syncTimes)).toISOString()
      : undefined;
  const allFailed =
    failures.length === snapshots.length && snapshots.length > 0;
  return {
    environment: env,
    deployments,
    ...(allFailed ? { error: environmentErrorOf(env, failures) } : {}),
    warnings: allFailed ? [] : failures,
    ...(syncedAt ? { syncedAt } : {}),
    ...(desired ? { git: desired.git } : {}),
  };
}

/**
 * An environment the caller may not read: it stays in the pipeline, so the
 * columns keep their order and nobody mistakes it for "not deployed here",
 * but nothing read from it is returned.
 */
export function notPermitted(
  env: Environment,
  subject: string,
): EnvironmentDeployments {
  return {
    environment: env,
    deployments: [],
    error: {
      type: 'NOT_PERMITTED',
      message: `You may not see ${subject} in '${env.title}'.`,
    },
    warnings: [],
  };
}
