import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import permissionBackend from '@backstage/plugin-permission-backend';
import {
  AuthorizeResult,
  PolicyDecision,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { MODEL_DEPLOYMENTS_ENVIRONMENT_RESOURCE_TYPE } from '@seed-mlops/plugin-model-deployments-common';
import {
  createModelDeploymentsConditionalDecision,
  modelDeploymentsConditions,
} from '@seed-mlops/plugin-model-deployments-node';

/**
 * The users tests and benchmarks sign in as. Their decisions come from
 * {@link ConditionalTestPolicy}; `owner` belongs to the owner group given
 * to {@link realPermissionFeatures}.
 */
export type TestCaller = 'allow-all' | 'deny-all' | 'non-owner' | 'owner';

/**
 * The policy tests run against: everything, nothing, or the conditional one
 * the README suggests: unrestricted environments for everyone, restricted
 * ones for the model's owners; only unconditional callers create
 * environments.
 */
class ConditionalTestPolicy implements PermissionPolicy {
  async handle(
    query: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const caller = user?.info.userEntityRef.split('/')[1] as TestCaller;
    if (caller === 'allow-all') return { result: AuthorizeResult.ALLOW };
    if (caller === 'deny-all') return { result: AuthorizeResult.DENY };
    if (
      isResourcePermission(
        query.permission,
        MODEL_DEPLOYMENTS_ENVIRONMENT_RESOURCE_TYPE,
      )
    ) {
      return createModelDeploymentsConditionalDecision(query.permission, {
        anyOf: [
          { not: modelDeploymentsConditions.isRestricted() },
          modelDeploymentsConditions.isModelOwner({
            claims: user?.info.ownershipEntityRefs ?? [],
          }),
        ],
      });
    }
    return { result: AuthorizeResult.DENY };
  }
}

/**
 * Backend features for the real permission flow in a test backend: the
 * permission backend with {@link ConditionalTestPolicy}, user info that
 * puts `user:default/owner` in `ownerGroup`, and auth that keeps the
 * plugin as actor of on-behalf-of tokens (see below). Add
 * `permission: { enabled: true }` to the config.
 */
export function realPermissionFeatures(options: {
  ownerGroup: string;
  /** In place of {@link ConditionalTestPolicy}. */
  policy?: PermissionPolicy;
}) {
  const policyModule = createBackendModule({
    pluginId: 'permission',
    moduleId: 'test-policy',
    register(reg) {
      reg.registerInit({
        deps: { policy: policyExtensionPoint },
        async init({ policy }) {
          policy.setPolicy(options.policy ?? new ConditionalTestPolicy());
        },
      });
    },
  });

  const userInfo = createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials) {
        const principal = credentials.principal as { userEntityRef: string };
        const ref = principal.userEntityRef;
        return {
          userEntityRef: ref,
          ownershipEntityRefs: ref.endsWith('/owner')
            ? [ref, options.ownerGroup]
            : [ref],
        };
      },
    }),
  });

  /*
   * The mock auth service, except that a token a plugin got on behalf of a
   * user authenticates as that user *with the plugin as actor*, as real
   * Backstage tokens do. The permission backend needs the actor to accept a
   * plugin's conditional query for a user; the mock drops it. The real
   * httpAuth service reads requests through this one.
   */
  const authWithActors = createServiceFactory({
    service: coreServices.auth,
    deps: { plugin: coreServices.pluginMetadata },
    factory({ plugin }) {
      const auth = mockServices.auth({ pluginId: plugin.getId() });
      const authenticate = auth.authenticate.bind(auth);
      auth.authenticate = (async (token, authOptions) => {
        const credentials = await authenticate(token, authOptions);
        const principal = credentials.principal as {
          type: string;
          userEntityRef?: string;
        };
        if (
          token.startsWith('mock-service-token:') &&
          principal.userEntityRef
        ) {
          return mockCredentials.user(principal.userEntityRef, {
            actor: { subject: 'plugin:model-deployments' },
          });
        }
        return credentials;
      }) as typeof auth.authenticate;
      return auth;
    },
  });

  return [
    permissionBackend,
    policyModule,
    userInfo,
    authWithActors,
    httpAuthServiceFactory,
  ];
}
