import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, ResponseError } from '@backstage/errors';
import {
  EnvironmentCreationRequest,
  EnvironmentCreationResult,
  ModelDeploymentsHttpClient,
  PromotionRequest,
  PromotionResult,
} from '@seed-mlops/plugin-model-deployments-common';

/**
 * Calls the model-deployments backend on behalf of the user who runs the
 * template, so its permission checks and audit see that user.
 *
 * @public
 */
export class ModelDeploymentsApiClient {
  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {}

  async promote(
    request: PromotionRequest,
    credentials: BackstageCredentials,
    options: {
      /** Sent as the `Idempotency-Key` header: a retry with it promotes once. */
      idempotencyKey?: string;
    } = {},
  ): Promise<PromotionResult> {
    return this.asAction(
      async client => client.promote(request, options),
      credentials,
    );
  }

  async createEnvironment(
    request: EnvironmentCreationRequest,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentCreationResult> {
    return this.asAction(
      async client => client.createEnvironment(request),
      credentials,
    );
  }

  /**
   * Runs `call` as the template's user, with the backend's refusals said as
   * the action's errors.
   */
  private async asAction<T>(
    call: (client: ModelDeploymentsHttpClient) => Promise<T>,
    credentials: BackstageCredentials,
  ): Promise<T> {
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: credentials,
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
      return await call(client);
    } catch (error) {
      if (!(error instanceof ResponseError)) throw error;
      const message = error.body.error.message;
      // The backend's message names the field; say it as the action's input error.
      if (error.statusCode === 400) throw new InputError(message);
      // The template's user may not do this here; the message says what.
      if (error.statusCode === 403) throw new NotAllowedError(message);
      throw error;
    }
  }
}
