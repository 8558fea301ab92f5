import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  EntityDeploymentsResponse,
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

  private async request<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('model-deployments');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      headers: { Accept: 'application/json' },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
