import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, ResponseError } from '@backstage/errors';
import {
  EntityDeploymentsResponse,
  EnvironmentCreationRequest,
  EnvironmentCreationResult,
  EnvironmentsResponse,
  FleetResponse,
  ModelDeploymentsHttpClient,
  PromotionRequest,
  PromotionResult,
  PromotionsResponse,
  RollbackRequest,
} from '@seed-mlops/plugin-model-deployments-common';

/**
 * Who a call is made for: the backend checks that caller's permissions and
 * audits that caller, as for a request from their browser.
 *
 * @public
 */
export interface ModelDeploymentsCallOptions {
  credentials: BackstageCredentials;
}

/**
 * The model-deployments API for other backend plugins and modules (the
 * scaffolder actions use it), like the catalog's `catalogServiceRef`.
 * Refusals come back as `InputError` (400) and `NotAllowedError` (403) with
 * the backend's message.
 *
 * @public
 */
export interface ModelDeploymentsApiService {
  getEnvironments(
    options: ModelDeploymentsCallOptions,
  ): Promise<EnvironmentsResponse>;
  getEntityDeployments(
    entityRef: string,
    options: ModelDeploymentsCallOptions,
  ): Promise<EntityDeploymentsResponse>;
  getFleet(options: ModelDeploymentsCallOptions): Promise<FleetResponse>;
  getPromotions(
    entityRef: string,
    options: ModelDeploymentsCallOptions,
  ): Promise<PromotionsResponse>;
  /** With an idempotency key, a retry is answered from the first call's record. */
  promote(
    request: PromotionRequest,
    options: ModelDeploymentsCallOptions & { idempotencyKey?: string },
  ): Promise<PromotionResult>;
  /** With an idempotency key, a retry is answered from the first call's record. */
  rollback(
    request: RollbackRequest,
    options: ModelDeploymentsCallOptions & { idempotencyKey?: string },
  ): Promise<PromotionResult>;
  createEnvironment(
    request: EnvironmentCreationRequest,
    options: ModelDeploymentsCallOptions,
  ): Promise<EnvironmentCreationResult>;
}

/**
 * The default {@link ModelDeploymentsApiService}: the common package's HTTP
 * client, with a token on behalf of the caller.
 *
 * @public
 */
export class DefaultModelDeploymentsApiService
  implements ModelDeploymentsApiService
{
  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {}

  getEnvironments(options: ModelDeploymentsCallOptions) {
    return this.call(options, client => client.getEnvironments());
  }

  getEntityDeployments(
    entityRef: string,
    options: ModelDeploymentsCallOptions,
  ) {
    return this.call(options, client => client.getEntityDeployments(entityRef));
  }

  getFleet(options: ModelDeploymentsCallOptions) {
    return this.call(options, client => client.getFleet());
  }

  getPromotions(entityRef: string, options: ModelDeploymentsCallOptions) {
    return this.call(options, client => client.getPromotions(entityRef));
  }

  promote(
    request: PromotionRequest,
    options: ModelDeploymentsCallOptions & { idempotencyKey?: string },
  ) {
    return this.call(options, client =>
      client.promote(request, { idempotencyKey: options.idempotencyKey }),
    );
  }

  rollback(
    request: RollbackRequest,
    options: ModelDeploymentsCallOptions & { idempotencyKey?: string },
  ) {
    return this.call(options, client =>
      client.rollback(request, { idempotencyKey: options.idempotencyKey }),
    );
  }

  createEnvironment(
    request: EnvironmentCreationRequest,
    options: ModelDeploymentsCallOptions,
  ) {
    return this.call(options, client => client.createEnvironment(request));
  }

  /** Runs `work` as the caller, with the backend's refusals as Backstage errors. */
  private async call<T>(
    options: ModelDeploymentsCallOptions,
    work: (client: ModelDeploymentsHttpClient) => Promise<T>,
  ): Promise<T> {
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: options.credentials,
      targetPluginId: 'model-deployments',
    });
    const client = new ModelDeploymentsHttpClient({
      baseUrl: () => this.deps.discovery.getBaseUrl('model-deployments'),
      fetch: (url, init) =>
        fetch(url, {
          ...init,
          headers: { ...init.headers, Authorization: `Bearer ${token}` },
        }),
    });
    try {
      return await work(client);
    } catch (error) {
      if (!(error instanceof ResponseError)) throw error;
      const message = error.body.error.message;
      // The backend's message names the field or the refusal; keep its kind.
      if (error.statusCode === 400) throw new InputError(message);
      if (error.statusCode === 403) throw new NotAllowedError(message);
      throw error;
    }
  }
}

/**
 * The {@link ModelDeploymentsApiService} of the plugin that depends on it;
 * replace it with your own factory if you need to.
 *
 * @public
 */
export const modelDeploymentsApiServiceRef =
  createServiceRef<ModelDeploymentsApiService>({
    id: 'model-deployments.api',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          auth: coreServices.auth,
          discovery: coreServices.discovery,
        },
        factory: ({ auth, discovery }) =>
          new DefaultModelDeploymentsApiService({ auth, discovery }),
      }),
  });
