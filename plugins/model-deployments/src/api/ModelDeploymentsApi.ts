import { createApiRef } from '@backstage/core-plugin-api';
import {
  ApprovalDecisionRequest,
  DeploymentHistoryResponse,
  PendingApprovalsResponse,
  EntityDeploymentsResponse,
  EnvironmentGitState,
  PromotionRequest,
  PromotionResult,
  PromotionsResponse,
  RollbackRequest,
  EnvironmentsResponse,
  FleetResponse,
} from '@seed-mlops/plugin-model-deployments-common';

/**
 * Reads model deployments from the model-deployments backend.
 *
 * @public
 */
export interface ModelDeploymentsApi {
  /** Every configured or discovered environment, in stage order. */
  getEnvironments(): Promise<EnvironmentsResponse>;
  /**
   * The deployments of one catalog entity in every environment.
   *
   * @param entityRef - a full entity ref such as `component:default/fraud-scorer`
   */
  getEntityDeployments(entityRef: string): Promise<EntityDeploymentsResponse>;
  /** Every model the user may see, with its deployments in every environment. */
  getFleet(): Promise<FleetResponse>;
  /**
   * The commits that changed the entity's manifests in one environment's
   * GitOps repository, newest first.
   */
  getHistory(request: {
    entityRef: string;
    environment: string;
    /** Commits to skip; default 0. */
    offset?: number;
    /** Page size, 1 to 100; default 20. */
    limit?: number;
  }): Promise<DeploymentHistoryResponse>;
  /**
   * Fetches the GitOps repositories of one environment (or all) now rather
   * than at the next scheduled refresh. Only environments the user may read
   * are fetched; with `entityRef`, as seen through that model.
   */
  refreshGit(options?: { environment?: string; entityRef?: string }): Promise<{
    environments: Array<{ environment: string; git: EnvironmentGitState }>;
  }>;
  /** Promotes a model, or with `dryRun` works out the change and writes nothing. */
  promote(request: PromotionRequest): Promise<PromotionResult>;
  /**
   * Restores a model's manifests in one environment to what a promotion
   * left or to a commit, or with `dryRun` works out the change (and its diff).
   */
  rollback(request: RollbackRequest): Promise<PromotionResult>;
  /** The model's promotions and rollbacks, newest first. */
  getPromotions(entityRef: string): Promise<PromotionsResponse>;
  /**
   * Approves or rejects a promotion waiting for approval; the approval that
   * completes it runs the promotion, and the answer is its result.
   */
  decideApproval(
    promotionId: string,
    request: ApprovalDecisionRequest,
  ): Promise<PromotionResult>;
  /** The promotions waiting for approval that the user may see, oldest first. */
  getPendingApprovals(): Promise<PendingApprovalsResponse>;
}

/**
 * Reference to the {@link ModelDeploymentsApi}.
 *
 * @public
 */
export const modelDeploymentsApiRef = createApiRef<ModelDeploymentsApi>({
  id: 'plugin.model-deployments.service',
});
