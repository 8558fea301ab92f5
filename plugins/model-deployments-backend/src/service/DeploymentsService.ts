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
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityDeploymentsResponse,
  Environment,
  EnvironmentDeployments,
  EnvironmentError,
  EnvironmentsResponse,
  EnvironmentStatus,
  FleetModel,
  FleetResponse,
  MODEL_DEPLOYMENTS_NAME_ANNOTATION,
  MODEL_DEPLOYMENTS_SELECTOR_ANNOTATION,
  ModelDeployment,
  compareWithGit,
  toModelDeployment,
} from '@seed-mlops/plugin-model-deployments-common';
import { KindSnapshot, ModelResourceCache } from '../cache/ModelResourceCache';
import {
  EnvironmentDesiredState,
  GitOpsService,
} from '../gitops/GitOpsService';
import { identityOf, kindKeyOf } from '../gitops/parseManifests';
import { EnvironmentRegistry } from '../environments/EnvironmentRegistry';
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
        const identity = identityOf(object);
        const manifest = desired.index.byIdentity.get(identity);
        seen.add(identity);
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
        if (seen.has(identityOf(object)) || !matches(object)) {
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

  listEnvironments(): EnvironmentsResponse {
    return {
      demo: this.deps.demo,
      environments: this.deps.environments.list(),
    };
  }

  async getEntityDeployments(
    entityRef: CompoundEntityRef,
    credentials: BackstageCredentials,
  ): Promise<EntityDeploymentsResponse> {
    const ref = stringifyEntityRef(entityRef);
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${ref} in the catalog`);
    }
    const matches = entityMatcher(entity);
    const environments = await Promise.all(
      this.deps.environments
        .list()
        .map(async env =>
          environmentResult(
            env,
            await this.deps.cache.snapshot(env),
            matches,
            await this.desiredState(env),
          ),
        ),
    );
    return { entityRef: ref, demo: this.deps.demo, environments };
  }

  /**
   * Every model the caller may see in the catalog, with its deployments in
   * every environment. One pass over the cache per environment.
   */
  async getFleet(credentials: BackstageCredentials): Promise<FleetResponse> {
    const { items } = await this.deps.catalog.getEntities(
      { filter: FLEET_FILTER },
      { credentials },
    );
    const models = items.map(entity => {
      const model: FleetModel = { ...fleetModelOf(entity), deployments: [] };
      try {
        return { model, matches: entityMatcher(entity) };
      } catch (e) {
        model.problem = (e as Error).message;
        return { model, matches: undefined };
      }
    });
    const environments: EnvironmentStatus[] = [];
    for (const env of this.deps.environments.list()) {
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
      for (const { model, matches } of models) {
        if (!matches) continue;
        model.deployments.push(
          ...environmentResult(env, snapshots, matches, desired).deployments,
        );
      }
    }
    return {
      demo: this.deps.demo,
      environments,
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
