import { InputError, ResponseError } from '@backstage/errors';
import { DeploymentHistoryResponse } from '../gitops';
import {
  ApprovalDecisionRequest,
  EntityDeploymentsResponse,
  EnvironmentCreationRequest,
  EnvironmentCreationResult,
  EnvironmentGitState,
  EnvironmentsResponse,
  FleetResponse,
  PendingApprovalsResponse,
  PromotionRequest,
  PromotionResult,
  PromotionsResponse,
  RollbackRequest,
} from '../types';
import {
  IDEMPOTENCY_KEY_HEADER,
  approvalDecisionRequestSchema,
  checkRequest,
  environmentCreationRequestSchema,
  promotionIdSchema,
  promotionRequestSchema,
  rollbackRequestSchema,
} from '../validation';

/**
 * Checks a request body with the schema the backend's router uses, so a
 * page or a template hears of bad input in the same words, before anything
 * is sent.
 */
function checkBody(schema: Parameters<typeof checkRequest>[0], body: unknown) {
  const checked = checkRequest(schema, body);
  if ('problem' in checked) {
    throw new InputError(`Invalid request body: ${checked.problem}`);
  }
}

/**
 * The part of `fetch` the client needs: the browser's, Node's, or
 * Backstage's `fetchApi.fetch`, which adds the user's token.
 *
 * @public
 */
export type ModelDeploymentsFetch = (
  url: string,
  init: {
    method: 'GET' | 'POST';
    headers: Record<string, string>;
    body?: string;
  },
) => Promise<Response>;

/**
 * The typed client of the model-deployments backend's HTTP API, for the
 * browser (the frontend plugin) and for other backends (the scaffolder
 * module). A failed request rejects with a `ResponseError` of
 * `@backstage/errors`, whose `body.error.message` names the problem.
 *
 * @public
 */
export class ModelDeploymentsHttpClient {
  constructor(
    private readonly options: {
      /** The backend's base URL, e.g. from the discovery service. */
      baseUrl: () => Promise<string>;
      fetch: ModelDeploymentsFetch;
    },
  ) {}

  /** Every configured or discovered environment, in stage order. */
  getEnvironments(): Promise<EnvironmentsResponse> {
    return this.get('/environments');
  }

  /** One model's deployments in every environment. */
  getEntityDeployments(entityRef: string): Promise<EntityDeploymentsResponse> {
    return this.get('/deployments', { entityRef });
  }

  /** Every model the caller may see, in every environment. */
  getFleet(): Promise<FleetResponse> {
    return this.get('/fleet');
  }

  /** The commits that changed a model's manifests in one environment. */
  getHistory(request: {
    entityRef: string;
    environment: string;
    offset?: number;
    limit?: number;
  }): Promise<DeploymentHistoryResponse> {
    return this.get('/history', {
      entityRef: request.entityRef,
      environment: request.environment,
      offset: request.offset,
      limit: request.limit,
    });
  }

  /** Fetches the GitOps repositories of one environment (or all) now. */
  refreshGit(
    options: { environment?: string; entityRef?: string } = {},
  ): Promise<{
    environments: Array<{ environment: string; git: EnvironmentGitState }>;
  }> {
    return this.post('/refresh', options);
  }

  /** A model's promotions, newest first. */
  getPromotions(entityRef: string): Promise<PromotionsResponse> {
    return this.get('/promotions', { entityRef });
  }

  /**
   * Promotes a model, or with `dryRun` works out the change. With an
   * idempotency key, a retry is answered from the first request's record.
   */
  async promote(
    request: PromotionRequest,
    options: { idempotencyKey?: string } = {},
  ): Promise<PromotionResult> {
    checkBody(promotionRequestSchema, request);
    return this.post(
      '/promotions',
      request,
      options.idempotencyKey
        ? { [IDEMPOTENCY_KEY_HEADER]: options.idempotencyKey }
        : {},
    );
  }

  /**
   * Restores a model's manifests in one environment to an earlier state, or
   * with `dryRun` works out the change. Safe to retry with an idempotency key.
   */
  async rollback(
    request: RollbackRequest,
    options: { idempotencyKey?: string } = {},
  ): Promise<PromotionResult> {
    checkBody(rollbackRequestSchema, request);
    return this.post(
      '/rollbacks',
      request,
      options.idempotencyKey
        ? { [IDEMPOTENCY_KEY_HEADER]: options.idempotencyKey }
        : {},
    );
  }

  /**
   * Approves or rejects a promotion waiting for approval. The approval
   * that completes it runs the promotion: the answer is then its result.
   */
  async decideApproval(
    promotionId: string,
    request: ApprovalDecisionRequest,
  ): Promise<PromotionResult> {
    const id = checkRequest(promotionIdSchema, promotionId);
    if ('problem' in id)
      throw new InputError(`Invalid promotion id: ${id.problem}`);
    checkBody(approvalDecisionRequestSchema, request);
    return this.post(
      `/promotions/${encodeURIComponent(promotionId)}/decisions`,
      request,
    );
  }

  /** The promotions waiting for approval that the caller may see, oldest first. */
  getPendingApprovals(): Promise<PendingApprovalsResponse> {
    return this.get('/approvals');
  }

  /** Creates an environment, or with `dryRun` says what it would create. */
  async createEnvironment(
    request: EnvironmentCreationRequest,
  ): Promise<EnvironmentCreationResult> {
    checkBody(environmentCreationRequestSchema, request);
    return this.post('/environments', request);
  }

  private get<T>(
    path: string,
    query: Record<string, string | number | undefined> = {},
  ): Promise<T> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) search.set(key, String(value));
    }
    const suffix = search.toString() ? `?${search.toString()}` : '';
    return this.send(`${path}${suffix}`, {
      method: 'GET',
      headers: { Accept: 'application/json' },
    });
  }

  private post<T>(
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    return this.send(path, {
      method: 'POST',
      headers: {
        ...headers,
        Accept: 'application/json',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(body),
    });
  }

  private async send<T>(
    path: string,
    init: Parameters<ModelDeploymentsFetch>[1],
  ): Promise<T> {
    const baseUrl = await this.options.baseUrl();
    const response = await this.options.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }
}
