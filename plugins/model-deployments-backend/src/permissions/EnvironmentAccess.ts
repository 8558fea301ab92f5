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

  constructor(
    private readonly permissions: PermissionsService,
    ruleset: PermissionRuleset<ModelEnvironmentResource>,
  ) {
    this.authorizeConditions = createConditionAuthorizer(ruleset);
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

  /** One check per permission, decided in one request to the policy. */
  async check(
    permissions: EnvironmentPermission[],
    credentials: BackstageCredentials,
  ): Promise<EnvironmentCheck[]> {
    const decisions = await this.permissions.authorizeConditional(
      permissions.map(permission => ({ permission })),
      { credentials },
    );
    return decisions.map((decision): EnvironmentCheck => {
      if (decision.result === AuthorizeResult.ALLOW) {
        return Object.assign(() => true, { everywhere: true });
      }
      if (decision.result === AuthorizeResult.DENY) return () => false;
      return resource => this.authorizeConditions(decision, resource);
    });
  }
}
