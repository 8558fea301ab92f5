import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  ApprovalDecisionRequest,
  DeploymentHistoryResponse,
  EntityDeploymentsResponse,
  EnvironmentGitState,
  EnvironmentsResponse,
  FleetResponse,
  ModelDeploymentsHttpClient,
  PendingApprovalsResponse,
  PromotionRequest,
  PromotionResult,
  PromotionsResponse,
  RollbackRequest,
} from '@seed-mlops/plugin-model-deployments-common';
import { ModelDeploymentsApi } from './ModelDeploymentsApi';

/**
 * Default {@link ModelDeploymentsApi} implementation: the common package's
 * HTTP client over the Backstage fetch API, so the user's token is attached.
 *
 * @public
 */
export class ModelDeploymentsClient implements ModelDeploymentsApi {
  private readonly client: ModelDeploymentsHttpClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.client = new ModelDeploymentsHttpClient({
      baseUrl: () => options.discoveryApi.getBaseUrl('model-deployments'),
      fetch: (url, init) => options.fetchApi.fetch(url, init),
    });
  }

  getEnvironments(): Promise<EnvironmentsResponse> {
    return this.client.getEnvironments();
  }

  getEntityDeployments(entityRef: string): Promise<EntityDeploymentsResponse> {
    return this.client.getEntityDeployments(entityRef);
  }

  getFleet(): Promise<FleetResponse> {
    return this.client.getFleet();
  }

  getHistory(request: {
    entityRef: string;
    environment: string;
    offset?: number;
    limit?: number;
  }): Promise<DeploymentHistoryResponse> {
    return this.client.getHistory(request);
  }

  refreshGit(
    options: { environment?: string; entityRef?: string } = {},
  ): Promise<{
    environments: Array<{ environment: string; git: EnvironmentGitState }>;
  }> {
    return this.client.refreshGit(options);
  }

  promote(request: PromotionRequest): Promise<PromotionResult> {
    return this.client.promote(request);
  }

  rollback(request: RollbackRequest): Promise<PromotionResult> {
    return this.client.rollback(request);
  }

  getPromotions(entityRef: string): Promise<PromotionsResponse> {
    return this.client.getPromotions(entityRef);
  }

  decideApproval(
    promotionId: string,
    request: ApprovalDecisionRequest,
  ): Promise<PromotionResult> {
    return this.client.decideApproval(promotionId, request);
  }

  getPendingApprovals(): Promise<PendingApprovalsResponse> {
    return this.client.getPendingApprovals();
  }
}
