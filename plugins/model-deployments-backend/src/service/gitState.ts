import {
  Environment,
  KubernetesObject,
  ModelDeployment,
  toModelDeployment,
} from '@seed-mlops/plugin-model-deployments-common';
import { KindSnapshot } from '../cache/ModelResourceCache';
import {
  EnvironmentDesiredState,
  EnvironmentHistory,
} from '../gitops/GitOpsService';
import {
  identityOf,
  kindKeyOf,
  manifestFor,
  namespaceIn,
} from '../gitops/parseManifests';
import { EntityMatcher } from './entityMatcher';
import { syncStateOf } from './memoized';

/**
 * Marks a live deployment with how it compares to its manifest in Git, and
 * notes its identity in `seen` so it is not also reported as missing.
 */
export function addGitSync(
  deployment: ModelDeployment,
  object: KubernetesObject,
  env: Environment,
  desired: EnvironmentDesiredState,
  seen: Set<string>,
) {
  const manifest = manifestFor(desired.index, object, env);
  seen.add(identityOf(object, namespaceIn(object, env)));
  deployment.sync = desired.git.commit
    ? syncStateOf(manifest?.object, object)
    : {
        state: 'Unknown',
        reason: desired.git.error ?? 'Git has not been read yet.',
      };
  if (manifest) deployment.gitPath = manifest.path;
}

/**
 * The entity's manifests of one kind that are in Git but not in the
 * cluster: the sync tool has not applied them yet. Only meaningful when the
 * cluster was read completely, so the caller checks the snapshot's state.
 */
export function notYetApplied(
  snapshot: KindSnapshot,
  env: Environment,
  matches: EntityMatcher,
  desired: EnvironmentDesiredState,
  seen: Set<string>,
): ModelDeployment[] {
  const ofKind =
    desired.index.byKind.get(
      kindKeyOf({
        apiVersion: `${snapshot.kind.group}/${snapshot.kind.version}`,
        kind: snapshot.kind.kind,
      }),
    ) ?? [];
  const deployments: ModelDeployment[] = [];
  for (const manifest of ofKind) {
    const object = manifest.object;
    if (
      seen.has(identityOf(object, namespaceIn(object, env))) ||
      !matches(object)
    ) {
      continue;
    }
    const deployment = toModelDeployment(
      {
        ...object,
        metadata: {
          ...object.metadata,
          namespace: env.namespace ?? object.metadata?.namespace,
        },
      },
      snapshot.kind,
      env.name,
    );
    deployment.phase = 'Unknown';
    deployment.message =
      'In Git, not in the cluster: the sync tool has not applied it yet.';
    deployment.availableReplicas = 0;
    deployment.conditions = [];
    deployment.sync = { state: 'MissingInCluster' };
    deployment.gitPath = manifest.path;
    deployments.push(deployment);
  }
  return deployments;
}

/** Marks each deployment with the commit that last changed its manifest. */
export function addLastCommits(
  deployments: ModelDeployment[],
  history: EnvironmentHistory | undefined,
) {
  if (!history) return;
  for (const deployment of deployments) {
    const newest = deployment.gitPath
      ? history.changes.get(deployment.gitPath)?.[0]
      : undefined;
    if (newest !== undefined) deployment.lastCommit = history.commits[newest];
  }
}
