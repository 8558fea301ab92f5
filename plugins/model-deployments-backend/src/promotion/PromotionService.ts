import { ScmIntegrationRegistry } from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ApprovalDecisionRequest,
  ModelResourceKind,
  PendingApprovalsResponse,
  PromotionRequest,
  PromotionResult,
  RollbackRequest,
  PromotionsResponse,
} from '@seed-mlops/plugin-model-deployments-common';
import { ConflictError } from '@backstage/errors';
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
import { Approvals } from './approvals/Approvals';
import { ApprovedWriter } from './approvals/ApprovedWriter';
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
  private readonly approvedWriter: ApprovedWriter;

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
      /** Holds promotions into environments that require approval; none to skip. */
      approvals?: Approvals;
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
    this.approvedWriter = new ApprovedWriter({
      ...deps,
      writer: this.writer,
      lifecycle: this.lifecycle,
    });
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
    // A dry run names the target's approval whatever the strategy, so a
    // dialog can say that a commit would wait and a pull request would not.
    const approval = this.deps.approvals?.policyOf(prepared.to.name);
    const held = approval && Approvals.holds(prepared.strategy);
    if (request.dryRun || held) {
      const preview = await this.writer.preview(prepared);
      if (!approval || preview.status === 'up-to-date') return preview;
      if (request.dryRun) {
        return { ...preview, approval: Approvals.preview(approval) };
      }
      // Approvers see the diff even when the requester may not.
      const { diff } = prepared.mayReadTarget
        ? preview
        : await this.writer.preview({ ...prepared, mayReadTarget: true });
      return this.deps.approvals!.hold(
        prepared,
        preview,
        approval,
        diff,
        idempotencyKey,
      );
    }
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
   * Approves or rejects a promotion waiting for approval; the approval
   * that completes it writes it, and the answer is then its result.
   */
  async decideApproval(
    promotionId: string,
    request: ApprovalDecisionRequest,
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<PromotionResult> {
    if (!this.deps.approvals) {
      throw new ConflictError('No environment requires approval');
    }
    return this.deps.approvals.decide(
      promotionId,
      request,
      credentials,
      canRead,
      (entry, own) => this.approvedWriter.write(entry, own),
    );
  }

  /** The promotions waiting for approval that the caller may see. */
  async listPendingApprovals(
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<PendingApprovalsResponse> {
    return this.deps.approvals
      ? this.deps.approvals.listPending(credentials, canRead)
      : { promotions: [] };
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
    const promotions = this.deps.store
      ? await this.deps.store.list(entityRef, request.limit, readable)
      : [];
    return {
      entityRef,
      promotions: this.deps.approvals
        ? await this.deps.approvals.withApprovals(promotions, credentials)
        : promotions,
    };
  }
}
