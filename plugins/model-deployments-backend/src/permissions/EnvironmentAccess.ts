import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionRuleset,
  createConditionAuthorizer,
} from '@backstage/plugin-permission-node';
import { MODEL_DEPLOYMENTS_ENVIRONMENT_RESOURCE_TYPE } from '@seed-mlops/plugin-model-deployments-common';
import { ModelEnvironmentResource } from '@seed-mlops/plugin-model-deployments-node';

type EnvironmentPermission = ResourcePermission<
  typeof MODEL_DEPLOYMENTS_ENVIRONMENT_RESOURCE_TYPE
>;

/**
 * Answers "may these credentials do this here?" for any number of
 * resources; `everywhere` when the decision had no conditions.
 */
export type EnvironmentCheck = ((
  resource: ModelEnvironmentResource,
) => boolean) & { everywhere?: boolean };

/**
 * Per-environment permission checks. One policy decision per request and
 * permission, then conditions are applied in memory to each environment and
 * model, so a fleet of hundreds of models costs one round trip.
 */
export class EnvironmentAccess {
  private readonly authorizeConditions: (
    decision: Parameters<ReturnType<typeof createConditionAuthorizer>>[0],
    resource: ModelEnvironmentResource | undefined,
  ) => boolean;

  constructor(
    private readonly permissions: PermissionsService,
    ruleset: PermissionRuleset<ModelEnvironmentResource>,
  ) {
    this.authorizeConditions = createConditionAuthorizer(ruleset);
  }

  async check(
    permission: EnvironmentPermission,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentCheck> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) {
      return Object.assign(() => true, { everywhere: true });
    }
    if (decision.result === AuthorizeResult.DENY) return () => false;
    return resource => this.authorizeConditions(decision, resource);
  }

  /** Throws NotAllowedError with `message` unless allowed on `resource`. */
  async require(
    permission: EnvironmentPermission,
    resource: ModelEnvironmentResource,
    credentials: BackstageCredentials,
    message: string,
  ): Promise<void> {
    const allowed = await this.check(permission, credentials);
    if (!allowed(resource)) throw new NotAllowedError(message);
  }
}
