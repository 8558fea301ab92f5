import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
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
}
