import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, ResponseError } from '@backstage/errors';
import {
  EnvironmentCreationRequest,
  EnvironmentCreationResult,
  IDEMPOTENCY_KEY_HEADER,
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
    return this.post(
      '/promotions',
      request,
      credentials,
      options.idempotencyKey
        ? { [IDEMPOTENCY_KEY_HEADER]: options.idempotencyKey }
        : {},
    );
  }

  async createEnvironment(
    request: EnvironmentCreationRequest,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentCreationResult> {
    return this.post('/environments', request, credentials);
  }

  private async post<T>(
    path: string,
    body: unknown,
    credentials: BackstageCredentials,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const baseUrl = await this.deps.discovery.getBaseUrl('model-deployments');
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'model-deployments',
    });
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        ...headers,
        'Content-Type': 'application/json',
        Authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(body),
    });
    if (response.status === 400) {
      // The backend's message names the field; say it as the action's input error.
      const error = await ResponseError.fromResponse(response);
      throw new InputError(error.body.error.message);
    }
    if (response.status === 403) {
      // The template's user may not do this here; the message says what.
      const error = await ResponseError.fromResponse(response);
      throw new NotAllowedError(error.body.error.message);
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
