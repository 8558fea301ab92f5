import { ScmIntegrationRegistry } from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  PromotionRequest,
  PromotionResult,
} from '@seed-mlops/plugin-model-deployments-common';
import { EnvironmentRegistry } from '../environments/EnvironmentRegistry';
import { GitOpsService } from '../gitops/GitOpsService';
import { CommitIdentity } from '../gitops/GitWriter';
import { DeploymentsService } from '../service/DeploymentsService';
import { ClusterDryRun } from './ClusterDryRun';
import { PromotionHistory } from './PromotionHistory';
import { PromotionActor, PromotionPlanner } from './PromotionPlanner';
import { PromotionStore } from './PromotionStore';
import { PromotionWriter } from './PromotionWriter';

export type { PromotionActor } from './PromotionPlanner';

/**
 * Promotes a model from one environment to the next through Git: reads what
 * runs in the source (its Git manifests, else the live objects), prepares
 * the manifests for the target, and commits them to the target's folder or
 * repository, or pushes them to a branch for review. The scaffolder action,
 * the API and the UI all run this one engine.
 */
export class PromotionService {
  private readonly planner: PromotionPlanner;
  private readonly writer: PromotionWriter;
  private readonly history: PromotionHistory;

  constructor(deps: {
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
  }) {
    this.planner = new PromotionPlanner(deps);
    this.writer = new PromotionWriter(deps);
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
    const prepared = await this.planner.prepare(request, actor);
    if (request.dryRun) return this.writer.preview(prepared);
    const recordId = await this.history.begin(prepared);
    let result: PromotionResult;
    try {
      result = await this.writer.write(prepared);
    } catch (error) {
      // Bad input changes nothing, not even the history.
      if ((error as Error)?.name === 'InputError') {
        await this.history.discard(recordId);
        throw error;
      }
      await this.history.recordFailure(prepared, recordId, error);
      throw error;
    }
    return this.history.recordResult(result, recordId, idempotencyKey);
  }
}
