import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DeploymentHistoryResponse,
  EntityDeploymentsResponse,
  EnvironmentGitState,
  PromotionRequest,
  PromotionResult,
  PromotionsResponse,
  EnvironmentsResponse,
  FleetResponse,
} from '@seed-mlops/plugin-model-deployments-common';
import { ModelDeploymentsApi } from './ModelDeploymentsApi';

/**
 * Default {@link ModelDeploymentsApi} implementation that calls the
 * model-deployments backend through the Backstage fetch API, so the user's
 * token is attached.
 *
 * @public
 */
export class ModelDeploymentsClient implements ModelDeploymentsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getEnvironments(): Promise<EnvironmentsResponse> {
    return this.request<EnvironmentsResponse>('/environments');
  }

  async getEntityDeployments(
    entityRef: string,
  ): Promise<EntityDeploymentsResponse> {
    const query = new URLSearchParams({ entityRef });
    return this.request<EntityDeploymentsResponse>(
      `/deployments?${query.toString()}`,
    );
  }

  async getFleet(): Promise<FleetResponse> {
    return this.request<FleetResponse>('/fleet');
  }

  async getHistory(request: {
    entityRef: string;
    environment: string;
    offset?: number;
    limit?: number;
  }): Promise<DeploymentHistoryResponse> {
    const query = new URLSearchParams({
      entityRef: request.entityRef,
      environment: request.environment,
    });
    if (request.offset !== undefined) {
      query.set('offset', String(request.offset));
    }
    if (request.limit !== undefined) query.set('limit', String(request.limit));
    return this.request<DeploymentHistoryResponse>(
      `/history?${query.toString()}`,
    );
  }

  async refreshGit(
    options: { environment?: string; entityRef?: string } = {},
  ): Promise<{
    environments: Array<{ environment: string; git: EnvironmentGitState }>;
  }> {
    return this.request('/refresh', {
      method: 'POST',
      body: JSON.stringify(options),
    });
  }

  async promote(request: PromotionRequest): Promise<PromotionResult> {
    return this.request('/promotions', {
      method: 'POST',
      body: JSON.stringify(request),
    });
  }

  async getPromotions(entityRef: string): Promise<PromotionsResponse> {
    const query = new URLSearchParams({ entityRef });
    return this.request(`/promotions?${query.toString()}`);
  }

  private async request<T>(
    path: string,
    init?: { method: 'POST'; body: string },
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('model-deployments');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      ...init,
      headers: {
        Accept: 'application/json',
        ...(init?.body ? { 'Content-Type': 'application/json' } : {}),
      },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
