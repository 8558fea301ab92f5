import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CATALOG_FILTER_EXISTS,
  EntityFilterQuery,
} from '@backstage/catalog-client';
import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DeploymentHistoryResponse,
  EntityDeploymentsResponse,
  Environment,
  EnvironmentDeployments,
  EnvironmentError,
  EnvironmentGitState,
  EnvironmentsResponse,
  EnvironmentStatus,
  FleetModel,
  FleetResponse,
  KubernetesObject,
  MODEL_DEPLOYMENTS_NAME_ANNOTATION,
  MODEL_DEPLOYMENTS_SELECTOR_ANNOTATION,
  ModelDeployment,
  compareWithGit,
  toModelDeployment,
  quoteValue,
} from '@seed-mlops/plugin-model-deployments-common';
import { KindSnapshot, ModelResourceCache } from '../cache/ModelResourceCache';
import {
  EnvironmentDesiredState,
  EnvironmentHistory,
  GitOpsService,
} from '../gitops/GitOpsService';
import {
  identityOf,
  kindKeyOf,
  manifestFor,
  namespaceIn,
} from '../gitops/parseManifests';
import { EnvironmentRegistry } from '../environments/EnvironmentRegistry';
import { EnvironmentCheck } from '../permissions/EnvironmentAccess';
import { EntityMatcher, entityMatcher } from './entityMatcher';

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
    const { phase, message } = servers.kind.normalize(object);
    deployment.server = {
      ...deployment.server,
      phase,
      ...(message ? { message } : {}),
    };
  }
}

function environmentResult(
  env: Environment,
  snapshots: KindSnapshot[],
  matches: EntityMatcher,
  desired?: EnvironmentDesiredState,
): EnvironmentDeployments {
  const seen = new Set<string>();
  const deployments: ModelDeployment[] = [];
  for (const snapshot of snapshots) {
    for (const object of snapshot.objects) {
      if (!matches(object)) continue;
      const deployment = toModelDeployment(object, snapshot.kind, env.name);
      if (desired) {
        const manifest = manifestFor(desired.index, object, env);
        seen.add(identityOf(object, namespaceIn(object, env)));
        deployment.sync = desired.git.commit
          ? compareWithGit(manifest?.object, object)
          : {
              state: 'Unknown',
              reason: desired.git.error ?? 'Git has not been read yet.',
            };
        if (manifest) deployment.gitPath = manifest.path;
      }
      deployments.push(deployment);
    }
    // In Git but not in a cluster that was read completely: not applied yet.
    if (desired?.git.commit && snapshot.state === 'synced') {
      const ofKind =
        desired.index.byKind.get(
          kindKeyOf({
            apiVersion: `${snapshot.kind.group}/${snapshot.kind.version}`,
            kind: snapshot.kind.kind,
          }),
        ) ?? [];
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
    }
  }
  withServerStates(deployments, snapshots);
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
function notPermitted(
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

/** Marks each deployment with the commit that last changed its manifest. */
function addLastCommits(
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

/** Catalog entities the fleet page shows: model components and anything annotated for us. */
const FLEET_FILTER: EntityFilterQuery = [
  { kind: 'component', 'spec.type': 'model' },
  {
    [`metadata.annotations.${MODEL_DEPLOYMENTS_NAME_ANNOTATION}`]:
      CATALOG_FILTER_EXISTS,
  },
  {
    [`metadata.annotations.${MODEL_DEPLOYMENTS_SELECTOR_ANNOTATION}`]:
      CATALOG_FILTER_EXISTS,
  },
];

function relationRef(
  value: unknown,
  defaultKind: string,
  namespace: string,
): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace: namespace }),
    );
  } catch {
    return undefined;
  }
}

function fleetModelOf(entity: Entity): Omit<FleetModel, 'deployments'> {
  const namespace = entity.metadata.namespace ?? 'default';
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const owner = relationRef(spec.owner, 'group', namespace);
  const system = relationRef(spec.system, 'system', namespace);
  return {
    entityRef: stringifyEntityRef(entity),
    title: entity.metadata.title ?? entity.metadata.name,
    ...(owner ? { owner } : {}),
    ...(system ? { system } : {}),
    ...(typeof spec.lifecycle === 'string'
      ? { lifecycle: spec.lifecycle }
      : {}),
  };
}

/** A deployment to promote, with the object to copy: its Git manifest, else the live object. */
export interface PromotionSource {
  deployment: ModelDeployment;
  object: KubernetesObject;
  origin: 'git' | 'cluster';
}

/** Answers the read API from the environment registry and the watch cache. */
export class DeploymentsService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      environments: EnvironmentRegistry;
      cache: ModelResourceCache;
      demo: boolean;
      gitops?: GitOpsService;
      /** Longest a page view waits for a repository's first fetch. */
      gitWaitMs?: number;
    },
  ) {}

  private desiredState(env: Environment) {
    return this.deps.gitops?.desiredState(env, this.deps.gitWaitMs ?? 0);
  }

  private async entityOf(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(
        `No entity ${stringifyEntityRef(entityRef)} in the catalog`,
      );
    }
    return entity;
  }

  private environmentNamed(name: string): Environment {
    const environments = this.deps.environments.list();
    const env = environments.find(e => e.name === name);
    if (!env) {
      throw new InputError(
        `Invalid environment ${quoteValue(name)}: expected one of ${environments
          .map(e => e.name)
          .join(', ')}`,
      );
    }
    return env;
  }

  /** The entity's deployments in one environment, with their Git state. */
  private async environmentDeployments(
    env: Environment,
    matches: EntityMatcher,
  ): Promise<EnvironmentDeployments> {
    const [snapshots, desired] = await Promise.all([
      this.deps.cache.snapshot(env),
      this.desiredState(env),
    ]);
    const result = environmentResult(env, snapshots, matches, desired);
    if (desired?.git.commit) {
      addLastCommits(result.deployments, await this.deps.gitops?.history(env));
    }
    return result;
  }

  listEnvironments(): EnvironmentsResponse {
    const { environments, skipped } = this.deps.environments.resolve();
    return {
      demo: this.deps.demo,
      environments,
      ...(skipped.length ? { skipped } : {}),
    };
  }

  /**
   * The entity's deployments in every environment; those `canRead` refuses
   * are marked NOT_PERMITTED and not read at all.
   */
  async getEntityDeployments(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<EntityDeploymentsResponse> {
    const entity = await this.entityOf(entityRef, credentials);
    const matches = entityMatcher(entity);
    const environments = await Promise.all(
      this.deps.environments
        .list()
        .map(env =>
          canRead({ environment: env, entity })
            ? this.environmentDeployments(env, matches)
            : notPermitted(env, "this model's deployments"),
        ),
    );
    return {
      entityRef: stringifyEntityRef(entityRef),
      demo: this.deps.demo,
      environments,
    };
  }

  /**
   * The names of the environments where `canRead` lets the caller see the
   * model; undefined when it allows every environment, even past ones.
   */
  async readableEnvironments(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<string[] | undefined> {
    const entity = await this.entityOf(entityRef, credentials);
    if (canRead.everywhere) return undefined;
    return this.deps.environments
      .list()
      .filter(environment => canRead({ environment, entity }))
      .map(e => e.name);
  }

  /**
   * The commits that changed the entity's manifests in one environment,
   * newest first, `limit` of them from `offset`.
   */
  async getHistory(
    request: {
      entityRef: CompoundEntityRef;
      environment: string;
      offset: number;
      limit: number;
    },
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<DeploymentHistoryResponse> {
    const { offset, limit } = request;
    const env = this.environmentNamed(request.environment);
    const entity = await this.entityOf(request.entityRef, credentials);
    if (!canRead({ environment: env, entity })) {
      throw new NotAllowedError(
        `You may not see the history of ${stringifyEntityRef(
          request.entityRef,
        )} in '${env.name}'`,
      );
    }
    const matches = entityMatcher(entity);
    const base = {
      entityRef: stringifyEntityRef(request.entityRef),
      environment: env.name,
      offset,
      limit,
    };
    const empty = (message: string, paths: string[] = []) => ({
      ...base,
      paths,
      commits: [],
      totalCount: 0,
      complete: true,
      message,
    });
    if (!env.gitops || !this.deps.gitops) {
      return empty(`Environment '${env.name}' has no GitOps source.`);
    }
    const { deployments, git } = await this.environmentDeployments(
      env,
      matches,
    );
    const paths = [
      ...new Set(deployments.flatMap(d => (d.gitPath ? [d.gitPath] : []))),
    ].sort();
    const history = await this.deps.gitops.history(env);
    if (!history) {
      return empty(git?.error ?? 'The repository has not been fetched yet.');
    }
    if (paths.length === 0) {
      return empty(
        `No manifest of this model in ${git?.repoUrl ?? 'Git'}${
          git?.path ? ` (${git.path})` : ''
        }.`,
      );
    }
    const pathsOf = new Map<number, string[]>();
    for (const file of paths) {
      for (const index of history.changes.get(file) ?? []) {
        pathsOf.set(index, [...(pathsOf.get(index) ?? []), file]);
      }
    }
    const indexes = [...pathsOf.keys()].sort((a, b) => a - b);
    return {
      ...base,
      paths,
      headCommit: history.head,
      commits: indexes.slice(offset, offset + limit).map(index => ({
        ...history.commits[index],
        paths: pathsOf.get(index)!,
      })),
      totalCount: indexes.length,
      complete: history.complete,
    };
  }

  /**
   * The entity's deployments in one environment with what a promotion
   * copies: the manifest in Git when the environment has one, else the live
   * object.
   */
  async promotionSources(
    entityRef: CompoundEntityRef,
    env: Environment,
    credentials: BackstageCredentials,
  ): Promise<PromotionSource[]> {
    const matches = entityMatcher(await this.entityOf(entityRef, credentials));
    const [snapshots, desired] = await Promise.all([
      this.deps.cache.snapshot(env),
      this.desiredState(env),
    ]);
    const live = new Map<string, KubernetesObject>();
    for (const snapshot of snapshots) {
      for (const object of snapshot.objects) {
        if (matches(object)) {
          live.set(identityOf(object, namespaceIn(object, env)), object);
        }
      }
    }
    const { deployments, error } = environmentResult(
      env,
      snapshots,
      matches,
      desired,
    );
    if (error) {
      // Promoting from what cannot be read would promote from a guess.
      throw new ServiceUnavailableError(
        `Cannot read environment '${env.name}': ${error.message}`,
      );
    }
    return deployments.flatMap((deployment): PromotionSource[] => {
      const ref = {
        apiVersion: deployment.apiVersion,
        kind: deployment.kind,
        metadata: { name: deployment.name, namespace: deployment.namespace },
      };
      const manifest = desired && manifestFor(desired.index, ref, env);
      if (manifest) {
        return [{ deployment, object: manifest.object, origin: 'git' }];
      }
      const object = live.get(identityOf(ref, namespaceIn(ref, env)));
      return object ? [{ deployment, object, origin: 'cluster' }] : [];
    });
  }

  /**
   * Fetches the GitOps repositories of one environment, or of all, now.
   * Resolves to their Git state after the fetch.
   */
  async refreshGit(
    request: { environment?: string; entityRef?: CompoundEntityRef },
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<Array<{ environment: string; git: EnvironmentGitState }>> {
    const gitops = this.deps.gitops;
    const entity = request.entityRef
      ? await this.entityOf(request.entityRef, credentials)
      : undefined;
    const requested = request.environment
      ? [this.environmentNamed(request.environment)]
      : this.deps.environments.list();
    const environments = requested.filter(environment =>
      canRead({ environment, entity }),
    );
    if (request.environment && environments.length === 0) {
      throw new NotAllowedError(
        `You may not refresh environment '${request.environment}'`,
      );
    }
    if (!gitops) return [];
    const states = await Promise.all(
      environments.map(async env => ({
        environment: env.name,
        git: await gitops.refreshEnvironment(env),
      })),
    );
    return states.flatMap(({ environment: name, git }) =>
      git ? [{ environment: name, git }] : [],
    );
  }

  /**
   * Every model the caller may see in the catalog, with its deployments in
   * every environment `canRead` allows for that model. One pass over the
   * cache per environment. An environment whose status the caller may not
   * see (no model readable there) is marked NOT_PERMITTED.
   */
  async getFleet(
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<FleetResponse> {
    const { items } = await this.deps.catalog.getEntities(
      { filter: FLEET_FILTER },
      { credentials },
    );
    const models = items.map(entity => {
      const model: FleetModel = { ...fleetModelOf(entity), deployments: [] };
      try {
        return { entity, model, matches: entityMatcher(entity) };
      } catch (e) {
        model.problem = (e as Error).message;
        return { entity, model, matches: undefined };
      }
    });
    const environments: EnvironmentStatus[] = [];
    const resolved = this.deps.environments.resolve();
    for (const env of resolved.environments) {
      const readable = models.filter(({ entity, model }) => {
        if (canRead({ environment: env, entity })) return true;
        model.notPermitted = [...(model.notPermitted ?? []), env.name];
        return false;
      });
      if (readable.length === 0 && !canRead({ environment: env })) {
        const { deployments: _none, ...status } = notPermitted(
          env,
          'model deployments',
        );
        environments.push(status);
        continue;
      }
      const [snapshots, desired] = await Promise.all([
        this.deps.cache.snapshot(env),
        this.desiredState(env),
      ]);
      const { deployments: _none, ...status } = environmentResult(
        env,
        snapshots,
        () => false,
        desired,
      );
      environments.push(status);
      for (const { model, matches } of readable) {
        if (!matches) continue;
        model.deployments.push(
          ...environmentResult(env, snapshots, matches, desired).deployments,
        );
      }
    }
    return {
      demo: this.deps.demo,
      environments,
      ...(resolved.skipped.length ? { skipped: resolved.skipped } : {}),
      models: models
        .map(m => m.model)
        .sort(
          (a, b) =>
            a.title.localeCompare(b.title) ||
            a.entityRef.localeCompare(b.entityRef),
        ),
    };
  }
}
