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
  toModelDeployment,
} from '@seed-mlops/plugin-model-deployments-common';
import { KindSnapshot, ModelResourceCache } from '../cache/ModelResourceCache';
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
): EnvironmentDeployments {
  const deployments: ModelDeployment[] = [];
  for (const snapshot of snapshots) {
    for (const object of snapshot.objects) {
      if (matches(object)) {
        deployments.push(toModelDeployment(object, snapshot.kind, env.name));
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
    },
  ) {}

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
          environmentResult(env, await this.deps.cache.snapshot(env), matches),
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
      const snapshots = await this.deps.cache.snapshot(env);
      const { deployments: _none, ...status } = environmentResult(
        env,
        snapshots,
        () => false,
      );
      environments.push(status);
      for (const snapshot of snapshots) {
        for (const object of snapshot.objects) {
          for (const { model, matches } of models) {
            if (matches?.(object)) {
              model.deployments.push(
                toModelDeployment(object, snapshot.kind, env.name),
              );
            }
          }
        }
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
