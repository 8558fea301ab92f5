import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  Environment,
  EnvironmentFreeze,
  GitCommit,
  GitOpsSource,
  ModelResourceKind,
  PromotionStrategy,
  RollbackRequest,
  quoteValue,
} from '@seed-mlops/plugin-model-deployments-common';
import { PromotionActor } from '@seed-mlops/plugin-model-deployments-node';
import { EnvironmentRegistry } from '../environments/EnvironmentRegistry';
import { GitOpsService } from '../gitops/GitOpsService';
import { parseManifestFile } from '../gitops/parseManifests';
import { entityMatcher } from '../service/entityMatcher';
import { FreezeWindows, frozenError } from './freeze/FreezeWindows';
import { PromotionStore } from './PromotionStore';
import { parseModelRef } from './promotionRoute';
import { RestoredFile, filesOf, modelFiles, versionsOf } from './rollbackFiles';

/** A validated rollback with everything read that writing it needs. */
export interface PreparedRollback {
  kind: 'rollback';
  request: RollbackRequest;
  actor: PromotionActor;
  entityRef: CompoundEntityRef;
  ref: string;
  /** The environment rolled back: both ends of the recorded change. */
  from: Environment;
  to: Environment;
  gitops: GitOpsSource;
  strategy: PromotionStrategy;
  restored: { commit: string; promotionId?: string };
  /** The restored commit as the history shows it. */
  restoredCommit: GitCommit;
  files: RestoredFile[];
  /** The environment's freeze window, when one is on. */
  frozen?: EnvironmentFreeze;
  /** The versions the restored manifests name. */
  versions: string[];
  mayReadTarget: boolean;
}

/** Promotions that reached the branch; only their state can be restored. */
const LANDED = new Set(['committed', 'pull-request-merged']);

/**
 * Works out what a rollback would write, before it writes anything: checks
 * the request and the actor, finds the commit to restore in the
 * environment's kept history, and reads the model's files then and now.
 */
export class RollbackPlanner {
  constructor(
    private readonly deps: {
      environments: EnvironmentRegistry;
      gitops: GitOpsService;
      catalog: CatalogService;
      kinds: readonly ModelResourceKind[];
      gitWaitMs: number;
      store?: PromotionStore;
      freezes?: FreezeWindows;
    },
  ) {}

  async prepare(
    request: RollbackRequest,
    actor: PromotionActor,
  ): Promise<PreparedRollback> {
    const entityRef = parseModelRef(request.entityRef);
    const ref = stringifyEntityRef(entityRef);
    const env = this.environmentNamed(request.environment);
    const gitops = env.gitops;
    if (!gitops) {
      throw new InputError(
        `environment: '${env.name}' has no GitOps source, so there is no Git history to roll back to`,
      );
    }
    const entity = await this.entityOf(entityRef, actor);
    const { mayReadTarget } = await actor.authorize({
      entity,
      from: env,
      to: env,
    });
    const frozen = this.deps.freezes?.frozen(env.name);
    if (frozen && !request.force && !request.dryRun) {
      throw frozenError(env.name, frozen, 'rollback');
    }
    const { commit, promotionId } = await this.commitToRestore(request, ref);
    // The branch as it is now, not as last fetched: the files the model has
    // now (to remove those it did not have then) and the newest commits.
    await this.deps.gitops.refreshEnvironment(env);
    const restoredCommit = await this.findInHistory(env, commit, promotionId);
    const matches = entityMatcher(entity);
    const then = modelFiles(
      (await this.deps.gitops.folderAt(env, restoredCommit.sha)).map(file => ({
        ...file,
        manifests: parseManifestFile(file).manifests,
      })),
      matches,
    );
    const desired = await this.deps.gitops.desiredState(
      env,
      this.deps.gitWaitMs,
    );
    const now = modelFiles(
      filesOf([...(desired?.index.byIdentity.values() ?? [])]),
      matches,
    );
    const files: RestoredFile[] = [
      ...[...then.values()].map(({ path, content }) => ({
        path,
        content: content ?? '',
      })),
      ...[...now.keys()]
        .filter(path => !then.has(path))
        .map(path => ({ path, deleted: true as const })),
    ];
    return {
      kind: 'rollback',
      request,
      actor,
      entityRef,
      ref,
      from: env,
      to: env,
      gitops,
      strategy: request.strategy ?? 'commit',
      restored: {
        commit: restoredCommit.sha,
        ...(promotionId ? { promotionId } : {}),
      },
      restoredCommit,
      files,
      ...(frozen ? { frozen } : {}),
      versions: versionsOf(
        this.deps.kinds,
        [...then.values()].flatMap(f => f.manifests.map(m => m.object)),
      ),
      mayReadTarget,
    };
  }

  private environmentNamed(name: string): Environment {
    const environments = this.deps.environments.list();
    const env = environments.find(e => e.name === name);
    if (!env) {
      throw new InputError(
        `environment: ${quoteValue(name)} is not one of ${environments
          .map(e => e.name)
          .join(', ')}`,
      );
    }
    return env;
  }

  private async entityOf(
    entityRef: CompoundEntityRef,
    actor: PromotionActor,
  ): Promise<Entity> {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials: actor.credentials,
    });
    if (!entity) {
      throw new NotFoundError(
        `No entity ${stringifyEntityRef(entityRef)} in the catalog`,
      );
    }
    return entity;
  }

  /** The commit the request names, directly or through a recorded promotion. */
  private async commitToRestore(
    request: RollbackRequest,
    ref: string,
  ): Promise<{ commit: string; promotionId?: string }> {
    if ('commit' in request.to) return { commit: request.to.commit };
    const { promotionId } = request.to;
    const record = await this.deps.store?.findById(promotionId);
    if (!record || record.entityRef !== ref) {
      throw new NotFoundError(
        `to.promotionId: no promotion ${promotionId} of ${ref}`,
      );
    }
    if (record.to !== request.environment) {
      throw new InputError(
        `to.promotionId: promotion ${promotionId} went to '${record.to}', not '${request.environment}'`,
      );
    }
    if (!record.commit || !LANDED.has(record.status)) {
      throw new InputError(
        `to.promotionId: promotion ${promotionId} is ${record.status}; only one that reached the branch (committed, or its pull request merged) can be rolled back to`,
      );
    }
    return { commit: record.commit.sha, promotionId };
  }

  /** The commit among those that changed the environment's folder, as kept. */
  private async findInHistory(
    env: Environment,
    commit: string,
    promotionId: string | undefined,
  ): Promise<GitCommit> {
    const history = await this.deps.gitops.history(env);
    const found = history?.commits.filter(c => c.sha.startsWith(commit)) ?? [];
    if (!history) {
      throw new ServiceUnavailableError(
        `The Git repository of environment '${env.name}' has not been read yet; try again shortly`,
      );
    }
    if (found.length > 1) {
      throw new InputError(
        `to.commit: ${commit} names ${found.length} commits; give more of it`,
      );
    }
    if (found.length === 0) {
      const field = promotionId ? 'to.promotionId' : 'to.commit';
      const what = promotionId
        ? `the commit of promotion ${promotionId} (${commit.slice(0, 7)})`
        : commit;
      throw new InputError(
        `${field}: ${what} is not among the ${
          history.commits.length
        } commits that changed environment '${env.name}'${
          history.complete ? '' : ' in the kept history'
        }${
          promotionId
            ? '; a squash-merged pull request leaves its own commit off the branch, so roll back to a commit of the history instead'
            : ''
        }`,
      );
    }
    return found[0];
  }
}
