import { ScmIntegrationRegistry } from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ModelResourceKind,
  PromotionRequest,
  PromotionResult,
  RollbackRequest,
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
import { ChangeNotifier } from '../notifications/ChangeNotifier';
import { ChangeLifecycle } from './ChangeLifecycle';
import { PromotionHistory } from './PromotionHistory';
import { PromotionPlanner } from './PromotionPlanner';
import { PromotionStore } from './PromotionStore';
import { PromotionWriter } from './PromotionWriter';
import { RollbackPlanner } from './RollbackPlanner';
import { RollbackWriter } from './RollbackWriter';

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
  private readonly lifecycle: ChangeLifecycle;

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
    this.lifecycle = new ChangeLifecycle({ ...deps, history: this.history });
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
    const prepared = await this.lifecycle.refusalsNotified(
      () => this.planner.prepare(request, actor),
      { kind: 'promotion', request, actor, to: request.to },
    );
    if (request.dryRun) return this.writer.preview(prepared);
    return this.lifecycle.recorded(
      prepared,
      () => this.writer.write(prepared),
      {
        idempotencyKey,
        target: prepared.to,
      },
    );
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
    const prepared = await this.lifecycle.refusalsNotified(
      () => this.rollbackPlanner.prepare(request, actor),
      { kind: 'rollback', request, actor, to: request.environment },
    );
    if (request.dryRun) return this.rollbackWriter.preview(prepared);
    return this.lifecycle.recorded(
      prepared,
      () => this.rollbackWriter.write(prepared),
      {
        idempotencyKey,
        target: prepared.to,
      },
    );
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
