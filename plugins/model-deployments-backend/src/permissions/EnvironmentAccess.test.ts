import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PermissionRuleset } from '@backstage/plugin-permission-node';
import {
  modelDeploymentsPromotePermission,
  modelDeploymentsReadPermission,
} from '@seed-mlops/plugin-model-deployments-common';
import { ModelEnvironmentResource } from '@seed-mlops/plugin-model-deployments-node';
import { EnvironmentAccess } from './EnvironmentAccess';

describe('EnvironmentAccess', () => {
  const amara = mockCredentials.user('user:default/amara');
  let asked = 0;
  const permissions = mockServices.permissions.mock({
    authorizeConditional: async requests => {
      asked++;
      return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
    },
  });
  // Only ALLOW decisions here: no conditions, so no rule is looked up.
  const noRules = {
    getRuleByName: (name: string) => {
      throw new Error(`No rule ${name} expected`);
    },
  } as PermissionRuleset<ModelEnvironmentResource>;
  const access = new EnvironmentAccess(permissions, noRules, {
    readDecisionTtlMs: 10_000,
  });
  const environment: ModelEnvironmentResource['environment'] = {
    name: 'dev',
    title: 'Development',
    cluster: 'demo',
    namespace: 'dev',
    origin: 'config',
  } as ModelEnvironmentResource['environment'];

  beforeEach(() => {
    asked = 0;
  });

  it('reuses a read decision for the same caller, and asks again for a write', async () => {
    const [first] = await access.check(
      [modelDeploymentsReadPermission],
      amara,
      {
        reuse: true,
      },
    );
    const [second] = await access.check(
      [modelDeploymentsReadPermission],
      amara,
      { reuse: true },
    );
    expect(first({ environment: environment })).toBe(true);
    expect(second({ environment: environment })).toBe(true);
    expect(asked).toBe(1);

    await access.check(
      [modelDeploymentsReadPermission, modelDeploymentsPromotePermission],
      amara,
    );
    await access.check(
      [modelDeploymentsReadPermission, modelDeploymentsPromotePermission],
      amara,
    );
    expect(asked).toBe(3);
  });

  it('asks for another caller', async () => {
    await access.check(
      [modelDeploymentsReadPermission],
      mockCredentials.user('user:default/tomas'),
      { reuse: true },
    );
    await access.check(
      [modelDeploymentsReadPermission],
      mockCredentials.user('user:default/kenji'),
      { reuse: true },
    );
    expect(asked).toBe(2);
  });
});
