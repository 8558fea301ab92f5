import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/** A permissions service that denies one permission and allows the rest (the Kubernetes proxy included). */
export function denyPermission(name: string) {
  const decide = (requests: Array<{ permission: { name: string } }>) =>
    requests.map(r => ({
      result:
        r.permission.name === name
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    })) as Array<{ result: AuthorizeResult.ALLOW | AuthorizeResult.DENY }>;
  return mockServices.permissions.mock({
    authorize: async requests => decide(requests),
    authorizeConditional: async requests => decide(requests),
  }).factory;
}
