import { isError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  Environment,
  ModelResourceKind,
  PromotionKind,
  PromotionRequest,
  PromotionResult,
  RollbackRequest,
  PromotionStatus,
  PromotionsResponse,
} from '@seed-mlops/plugin-model-deployments-common';
import {
  EnvironmentCheck,
  ModelPromotionService,
  PromotionActor,
} from '@seed-mlops/plugin-model-deployments-node';
import { ModelDeploymentsEvents } from '../events/ModelDeploymentsEvents';
import { EnvironmentRegistry } from '../environments/EnvironmentRegistry';
import { GitOpsService } from '../gitops/GitOpsService';
import { CommitIdentity } from '../gitops/GitWriter';
import { DeploymentsService } from '../service/DeploymentsService';
import { ClusterDryRun } from './ClusterDryRun';
import { FreezeWindows } from './freeze/FreezeWindows';
import { PromotionGates } from './gates/PromotionGates';
import { ChangeNotifier, ChangeNotice } from '../notifications/ChangeNotifier';
import { PromotionHistory, RecordedChange } from './PromotionHistory';
import { PromotionPlanner } from './PromotionPlanner';
import { PromotionStore } from './PromotionStore';
import { PromotionWriter } from './PromotionWriter';
import { refreshAfterWrite } from './refreshAfterWrite';
import { RollbackPlanner } from './RollbackPlanner';
import { RollbackWriter } from './RollbackWriter';

/** Outcomes that changed Git: worth telling people about. */
const CHANGED = new Set(['committed', 'pull-request-opened', 'branch-pushed']);

/** The parts of a notice a prepared change knows. */
function noticeOf(
  change: RecordedChange,
): Pick<ChangeNotice, 'kind' | 'entityRef' | 'actor' | 'from' | 'to'> {
  return {
    kind: change.kind ?? 'promotion',
    entityRef: change.ref,
    actor: change.actor.ref,
    from: change.from.name,
    to: change.to.name,
  };
}

/**
 * Promotes a model from one environment to the next, and rolls it back,
 * through Git. A promotion reads what
 * runs in the source (its Git manifests, else the live objects), prepares
 * the manifests for the target, and commits them to the target's folder or
 * repository, or pushes them to a branch for review. The scaffolder action,
 * the API and the UI all run this one engine.
 */
export class PromotionService implements ModelPromotionService {
  private readonly planner: PromotionPlanner;
  private readonly writer: PromotionWriter;
  private readonly rollbackPlanner: RollbackPlanner;
  private readonly rollbackWriter: RollbackWriter;
  private readonly history: PromotionHistory;

  constructor(
    private readonly deps: {
      environments: EnvironmentRegistry;
      deployments: DeploymentsService;
      gitops: GitOpsService;
      catalog: CatalogService;
      committer: CommitIdentity;
      allowSkippingStages: boolean;
      /** Longest to wait for the target's first Git read. */
      gitWaitMs: number;
      /** Where promotions are recorded; none in tests that do not need it. */
      store?: PromotionStore;
      /** Hosts with pull request APIs (GitHub, GitLab) and their credentials. */
      integrations?: ScmIntegrationRegistry;
      /** Asks the target cluster about the manifests first; none to skip. */
      clusterDryRun?: ClusterDryRun;
      /** Where other replicas and pages learn of finished promotions. */
      events?: ModelDeploymentsEvents;
      /** The source environments' verification gates; none to skip. */
      gates?: PromotionGates;
      /** Which environments are frozen now; none to skip. */
      freezes?: FreezeWindows;
      /** Tells the requester and the model's owners how changes end. */
      notifier?: ChangeNotifier;
      /** The resource kinds, to name the versions a rollback restores. */
      kinds: readonly ModelResourceKind[];
    },
  ) {
    this.planner = new PromotionPlanner(deps);
    this.writer = new PromotionWriter(deps);
    this.rollbackPlanner = new RollbackPlanner(deps);
    this.rollbackWriter = new RollbackWriter(deps);
    this.history = new PromotionHistory(deps.store);
  }

  /**
   * Promotes, or on a dry run works out the change. Every real attempt that
   * passed validation is recorded, failures included.
   */
  async promote(
    request: PromotionRequest,
    actor: PromotionActor,
    options: {
      /** Makes a retry safe: an earlier request with it is answered again. */
      idempotencyKey?: string;
    } = {},
  ): Promise<PromotionResult> {
    const { idempotencyKey } = options;
    if (idempotencyKey && !request.dryRun) {
      const earlier = await this.history.replay(idempotencyKey, request, actor);
      if (earlier) return earlier;
    }
    const prepared = await this.refusalsNotified(
      () => this.planner.prepare(request, actor),
      { kind: 'promotion', request, actor, to: request.to },
    );
    if (request.dryRun) return this.writer.preview(prepared);
    return this.recorded(prepared, () => this.writer.write(prepared), {
      idempotencyKey,
      target: prepared.to,
    });
  }

  /**
   * Rolls a model's manifests in one environment back, or on a dry run
   * works out the change. Recorded like a promotion, failures included.
   */
  async rollback(
    request: RollbackRequest,
    actor: PromotionActor,
    options: { idempotencyKey?: string } = {},
  ): Promise<PromotionResult> {
    const { idempotencyKey } = options;
    if (idempotencyKey && !request.dryRun) {
      const earlier = await this.history.replayRollback(
        idempotencyKey,
        request,
        actor,
      );
      if (earlier) return earlier;
    }
    const prepared = await this.refusalsNotified(
      () => this.rollbackPlanner.prepare(request, actor),
      { kind: 'rollback', request, actor, to: request.environment },
    );
    if (request.dryRun) return this.rollbackWriter.preview(prepared);
    return this.recorded(prepared, () => this.rollbackWriter.write(prepared), {
      idempotencyKey,
      target: prepared.to,
    });
  }

  /** Records the change as running, writes it, records how it ended and tells. */
  private async recorded(
    prepared: RecordedChange,
    write: () => Promise<PromotionResult>,
    {
      idempotencyKey,
      target,
    }: { idempotencyKey?: string; target: Environment },
  ): Promise<PromotionResult> {
    const recordId = await this.history.begin(prepared);
    let result: PromotionResult;
    try {
      result = await write();
    } catch (error) {
      // Bad input changes nothing, not even the history.
      if (isError(error) && error.name === 'InputError') {
        await this.history.discard(recordId);
        throw error;
      }
      await this.history.recordFailure(prepared, recordId, error);
      await this.published(recordId, prepared.ref, prepared, 'failed');
      await this.deps.notifier?.notify({
        ...noticeOf(prepared),
        outcome: 'failed',
        message: String(isError(error) ? error.message : error),
        ...(recordId ? { promotionId: recordId } : {}),
      });
      throw error;
    }
    const recorded = await this.history.recordResult(
      result,
      recordId,
      idempotencyKey,
    );
    await this.published(
      recordId,
      recorded.entityRef,
      recorded,
      recorded.status,
    );
    if (CHANGED.has(recorded.status) && !recorded.replayed) {
      // After the record, so a concurrent retry finds it: the page that
      // reloads on this answer then sees the new commit.
      await refreshAfterWrite(this.deps.gitops, target);
      await this.deps.notifier?.notify({
        ...noticeOf(prepared),
        outcome: 'done',
        message: recorded.message,
        ...(recorded.id ? { promotionId: recorded.id } : {}),
      });
    }
    return recorded;
  }

  /**
   * Runs a planner; a change refused for the environment's state (frozen,
   * failing gates) is told to the requester before the error goes on.
   */
  private async refusalsNotified<T>(
    plan: () => Promise<T>,
    change: {
      kind: PromotionKind;
      request: { entityRef: string; from?: string; dryRun?: boolean };
      actor: PromotionActor;
      to: string;
    },
  ): Promise<T> {
    try {
      return await plan();
    } catch (error) {
      if (
        isError(error) &&
        error.name === 'ConflictError' &&
        !change.request.dryRun
      ) {
        await this.deps.notifier?.notify({
          kind: change.kind,
          entityRef: change.request.entityRef,
          actor: change.actor.ref,
          from: change.request.from ?? '',
          to: change.to,
          outcome: 'refused',
          message: error.message,
        });
      }
      throw error;
    }
  }

  private async published(
    promotionId: string | undefined,
    entityRef: string,
    route: { from: string | { name: string }; to: string | { name: string } },
    status: PromotionStatus,
  ) {
    if (!promotionId) return;
    const nameOf = (env: string | { name: string }) =>
      typeof env === 'string' ? env : env.name;
    await this.deps.events?.publish({
      type: 'promotion-finished',
      promotionId,
      entityRef,
      from: nameOf(route.from),
      to: nameOf(route.to),
      status,
    });
  }

  /**
   * The model's recorded promotions, newest first; only those between
   * environments where `canRead` lets the caller see the model.
   */
  async listPromotions(
    request: { entityRef: CompoundEntityRef; limit: number },
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<PromotionsResponse> {
    const entityRef = stringifyEntityRef(request.entityRef);
    const readable = await this.deps.deployments.readableEnvironments(
      request.entityRef,
      credentials,
      canRead,
    );
    return {
      entityRef,
      promotions: this.deps.store
        ? await this.deps.store.list(entityRef, request.limit, readable)
        : [],
    };
  }
}
