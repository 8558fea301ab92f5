import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionRuleset,
  createConditionAuthorizer,
} from '@backstage/plugin-permission-node';
import { PerCallerCache } from '../requestCache/PerCallerCache';
import { MODEL_DEPLOYMENTS_ENVIRONMENT_RESOURCE_TYPE } from '@seed-mlops/plugin-model-deployments-common';
import {
  EnvironmentCheck,
  ModelEnvironmentResource,
} from '@seed-mlops/plugin-model-deployments-node';

type EnvironmentPermission = ResourcePermission<
  typeof MODEL_DEPLOYMENTS_ENVIRONMENT_RESOURCE_TYPE
>;

/**
 * Per-environment permission checks. One policy request per API request,
 * then conditions are applied in memory to each environment and
 * model, so a fleet of hundreds of models costs one round trip.
 */
export class EnvironmentAccess {
  private readonly authorizeConditions: (
    decision: PolicyDecision,
    resource: ModelEnvironmentResource | undefined,
  ) => boolean;
  private readonly readDecisions: PerCallerCache<PolicyDecision[]>;

  constructor(
    private readonly permissions: PermissionsService,
    ruleset: PermissionRuleset<ModelEnvironmentResource>,
    options: {
      /** How long a caller's decisions for reading are kept; 0 asks every time. */
      readDecisionTtlMs?: number;
    } = {},
  ) {
    this.authorizeConditions = createConditionAuthorizer(ruleset);
    this.readDecisions = new PerCallerCache({
      ttlMs: options.readDecisionTtlMs ?? 0,
    });
  }

  /** Throws NotAllowedError with `message` unless the credentials may. */
  async require(
    permission: BasicPermission,
    credentials: BackstageCredentials,
    message: string,
  ): Promise<void> {
    const [decision] = await this.permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(message);
    }
  }

  /**
   * One check per permission, decided in one request to the policy. With
   * `reuse`, for reads only, a decision the caller got a moment ago is
   * applied again (a page view asks several routes at once); writes always
   * ask the policy.
   */
  async check(
    permissions: EnvironmentPermission[],
    credentials: BackstageCredentials,
    options: { reuse?: boolean } = {},
  ): Promise<EnvironmentCheck[]> {
    const decide = () =>
      this.permissions.authorizeConditional(
        permissions.map(permission => ({ permission })),
        { credentials },
      );
    const decisions = options.reuse
      ? await this.readDecisions.get(
          credentials,
          permissions.map(p => p.name).join(','),
          decide,
        )
      : await decide();
    return decisions.map((decision): EnvironmentCheck => {
      if (decision.result === AuthorizeResult.ALLOW) {
        return Object.assign(() => true, { everywhere: true });
      }
      if (decision.result === AuthorizeResult.DENY) return () => false;
      return resource => this.authorizeConditions(decision, resource);
    });
  }
}
