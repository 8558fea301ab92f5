/*
 * DEMO ONLY: a sign-in provider that trusts a request header.
 *
 * Whoever can send a request to the backend can sign in as any listed user
 * by setting the `x-demo-user` header; nothing proves who they are. It
 * exists so that the example portal can show per-user behaviour (ownership,
 * permissions) with the users of examples/org.yaml, and must never be
 * configured for a portal that real people or real data depend on.
 *
 * The module registers the provider `demo` only when `auth.providers.demo`
 * is configured; without that section it does nothing. Like the guest
 * provider, it refuses to sign anyone in unless NODE_ENV is `development`
 * or `auth.providers.demo.dangerouslyAllowOutsideDevelopment` is true.
 */

import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AuthProviderFactory,
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** The request header naming the demo user to sign in as. */
export const DEMO_USER_HEADER = 'x-demo-user';

/** What the authenticator takes from a request. */
export interface DemoUserResult {
  /** The user entity name from the header, e.g. `priya`. */
  userName: string;
}

/** Reads the user name from the `x-demo-user` header; nothing else. */
export const demoUserAuthenticator = createProxyAuthenticator<
  void,
  DemoUserResult,
  undefined
>({
  // The profile comes from the catalog; see createDemoUsersProviderFactory.
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize() {},
  async authenticate({ req }) {
    const userName = req.header(DEMO_USER_HEADER)?.trim();
    if (!userName) {
      throw new AuthenticationError(
        `Demo sign-in needs the ${DEMO_USER_HEADER} request header with the name of a demo user`,
      );
    }
    return { result: { userName } };
  },
});

/**
 * The `demo` provider: signs in as the catalog user named by the header, if
 * that name is one of `users` (entity names in the default namespace).
 * Ownership then comes from the user's memberOf in the catalog.
 */
export function createDemoUsersProviderFactory(options: {
  users: string[];
  /** Also sign in when NODE_ENV is not `development`. */
  allowOutsideDevelopment?: boolean;
}): AuthProviderFactory {
  const { users, allowOutsideDevelopment = false } = options;
  const allowed = new Set(users);
  const assertDemoUser = (userName: string) => {
    // Like the guest provider: a production build refuses unless told.
    if (process.env.NODE_ENV !== 'development' && !allowOutsideDevelopment) {
      throw new NotAllowedError(
        'Demo sign-in only works in development (NODE_ENV=development); ' +
          'it trusts the x-demo-user header. Set ' +
          'auth.providers.demo.dangerouslyAllowOutsideDevelopment to override.',
      );
    }
    if (!allowed.has(userName)) {
      throw new NotAllowedError(
        `"${userName}" (from the ${DEMO_USER_HEADER} header) is not a demo user; ` +
          `auth.providers.demo.users lists ${users.join(', ') || 'nobody'}`,
      );
    }
  };
  const notInCatalog = (userName: string, error: unknown) => {
    if ((error as Error | undefined)?.name === 'NotFoundError') {
      return new NotFoundError(
        `Demo user "${userName}" is not in the catalog as user:default/${userName}`,
      );
    }
    return error;
  };

  return createProxyAuthProviderFactory<DemoUserResult>({
    authenticator: demoUserAuthenticator,
    // Display name and email from the user's catalog entity, for the
    // settings page and the sidebar.
    async profileTransform({ userName }, ctx) {
      assertDemoUser(userName);
      const { entity } = await ctx
        .findCatalogUser({ entityRef: { name: userName } })
        .catch(error => {
          throw notInCatalog(userName, error);
        });
      const profile = entity.spec?.profile;
      const field = (key: string) => {
        const value =
          profile && typeof profile === 'object' && !Array.isArray(profile)
            ? profile[key]
            : undefined;
        return typeof value === 'string' ? value : undefined;
      };
      return {
        profile: {
          displayName: field('displayName') ?? userName,
          email: field('email'),
          picture: field('picture'),
        },
      };
    },
    async signInResolver({ result: { userName } }, ctx) {
      assertDemoUser(userName);
      return ctx
        .signInWithCatalogUser({ entityRef: { name: userName } })
        .catch(error => {
          throw notInCatalog(userName, error);
        });
    },
  });
}

/** Registers the `demo` provider when `auth.providers.demo` is configured. */
export const authModuleDemoUsersProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-users-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        const demoConfig = config.getOptionalConfig('auth.providers.demo');
        if (!demoConfig) {
          return;
        }
        const users = demoConfig.getStringArray('users');
        for (const user of users) {
          if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(user)) {
            throw new Error(
              `auth.providers.demo.users must hold user entity names such as "guest", not "${user}"`,
            );
          }
        }
        logger.warn(
          `Demo sign-in is enabled: anyone who can reach this backend can sign in as ${users.join(
            ', ',
          )} by sending the ${DEMO_USER_HEADER} header. Never configure auth.providers.demo outside a demo.`,
        );
        providers.registerProvider({
          providerId: 'demo',
          factory: createDemoUsersProviderFactory({
            users,
            allowOutsideDevelopment:
              demoConfig.getOptionalBoolean(
                'dangerouslyAllowOutsideDevelopment',
              ) === true,
          }),
        });
      },
    });
  },
});

export default authModuleDemoUsersProvider;
