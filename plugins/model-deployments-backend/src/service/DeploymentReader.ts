import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  Environment,
  EnvironmentDeployments,
  quoteValue,
} from '@seed-mlops/plugin-model-deployments-common';
import { KindSnapshot, ModelResourceCache } from '../cache/ModelResourceCache';
import {
  EnvironmentDesiredState,
  GitOpsService,
} from '../gitops/GitOpsService';
import { EnvironmentRegistry } from '../environments/EnvironmentRegistry';
import { EntityMatcher } from './entityMatcher';
import { environmentResult } from './environmentResult';
import { EntityRows } from './EntityRows';
import { addLastCommits } from './gitState';

/** What one environment holds now: the cluster's objects and, if any, Git's. */
export interface EnvironmentRead {
  snapshots: KindSnapshot[];
  desired?: EnvironmentDesiredState;
}

/**
 * The reads every view shares: entities from the catalog, environments from
 * the registry, and an environment's objects from the watch cache and Git.
 */
export class DeploymentReader {
  private readonly rows = new EntityRows();

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      environments: EnvironmentRegistry;
      cache: ModelResourceCache;
      gitops?: GitOpsService;
      /** Longest a page view waits for a repository's first fetch. */
      gitWaitMs?: number;
    },
  ) {}

  async entityOf(
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

  environmentNamed(name: string): Environment {
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

  /** The cache's objects and Git's desired state, read side by side. */
  async read(env: Environment): Promise<EnvironmentRead> {
    const [snapshots, desired] = await Promise.all([
      this.deps.cache.snapshot(env),
      this.deps.gitops?.desiredState(env, this.deps.gitWaitMs ?? 0),
    ]);
    return { snapshots, desired };
  }

  /**
   * The entity's deployments in one environment, with their Git state;
   * kept per model while the environment is unchanged (EntityRows).
   */
  async environmentDeployments(
    env: Environment,
    matches: EntityMatcher,
  ): Promise<EnvironmentDeployments> {
    const read = await this.read(env);
    const { snapshots, desired } = read;
    let computed: EnvironmentDeployments | undefined;
    const deployments = await this.rows.deploymentsOf(
      env,
      read,
      matches,
      async () => {
        computed = environmentResult(env, snapshots, matches, desired);
        if (desired?.git.commit) {
          addLastCommits(
            computed.deployments,
            await this.deps.gitops?.history(env),
          );
        }
        return computed.deployments;
      },
    );
    if (computed) return computed;
    // Kept deployments; the environment's status as of now, from no objects.
    const status = environmentResult(
      env,
      snapshots.map(snapshot => ({ ...snapshot, objects: [] })),
      matches,
      desired && {
        git: desired.git,
        index: { byIdentity: desired.index.byIdentity, byKind: new Map() },
      },
    );
    return { ...status, deployments };
  }
}
