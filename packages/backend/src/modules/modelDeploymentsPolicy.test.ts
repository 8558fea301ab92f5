import { Entity } from '@backstage/catalog-model';
import {
  kubernetesClustersReadPermission,
  kubernetesProxyPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import {
  AuthorizeResult,
  Permission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  Environment,
  modelDeploymentsEnvironmentCreatePermission,
  modelDeploymentsForcePromotePermission,
  modelDeploymentsPromotePermission,
  modelDeploymentsReadPermission,
} from '@seed-mlops/plugin-model-deployments-common';
import {
  ModelEnvironmentResource,
  modelEnvironmentPermissionRules,
} from '@seed-mlops/plugin-model-deployments-node';
import { ModelDeploymentsExamplePolicy } from './modelDeploymentsPolicy';

/** The demo users as the catalog sign-in resolves them (examples/org.yaml). */
const USERS = {
  guest: [
    'user:default/guest',
    'group:default/ml-platform',
    'group:default/platform-admins',
  ],
  priya: [
    'user:default/priya',
    'group:default/ml-platform',
    'group:default/release-managers',
  ],
  tomas: ['user:default/tomas', 'group:default/risk-ml'],
};
type User = keyof typeof USERS;

const environment = (name: string, stage: number, restricted = false) =>
  ({
    name,
    title: name,
    stage,
    cluster: 'demo',
    namespace: name,
    restricted,
    origin: 'config',
  } as Environment);
const ENVIRONMENTS = {
  dev: environment('dev', 10),
  staging: environment('staging', 20),
  production: environment('production', 30, true),
};
type EnvName = keyof typeof ENVIRONMENTS;

const model = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'model', owner },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});
const MODELS = {
  'iris-classifier': model('iris-classifier', 'group:default/ml-platform'),
  'fraud-scorer': model('fraud-scorer', 'group:default/risk-ml'),
};
type ModelName = keyof typeof MODELS;

const rules = Object.values(modelEnvironmentPermissionRules);
const applyConditions = createConditionAuthorizer<ModelEnvironmentResource>({
  getRuleByName: name => rules.find(r => r.name === name)!,
});

async function allowed(
  user: User | 'no user',
  permission: Permission,
  resource?: ModelEnvironmentResource,
) {
  // An anonymous query is asked with no user.
  const decision = await new ModelDeploymentsExamplePolicy().handle(
    { permission },
    user === 'no user'
      ? undefined
      : ({
          identity: {
            type: 'user',
            userEntityRef: USERS[user][0],
            ownershipEntityRefs: USERS[user],
          },
          info: {
            userEntityRef: USERS[user][0],
            ownershipEntityRefs: USERS[user],
          },
          token: 'unused',
          credentials: {} as never,
        } as never),
  );
  if (decision.result !== AuthorizeResult.CONDITIONAL) {
    return decision.result === AuthorizeResult.ALLOW;
  }
  return applyConditions(decision, resource);
}

/** The sentence the policy implements, as a table of expectations. */
const expected = {
  read: (user: User, env: EnvName, modelName: ModelName) =>
    env !== 'production' ||
    (modelName === 'iris-classifier' ? user !== 'tomas' : user === 'tomas'),
  promote: (user: User, env: EnvName) =>
    env !== 'production' || user === 'priya',
  force: (user: User) => user === 'priya',
};

const cases = (Object.keys(USERS) as User[]).flatMap(user =>
  (Object.keys(ENVIRONMENTS) as EnvName[]).flatMap(env =>
    (Object.keys(MODELS) as ModelName[]).map(
      modelName => [user, env, modelName] as const,
    ),
  ),
);

describe('the example portal policy', () => {
  it.each(cases)(
    '%s reads %s of %s as the policy says',
    async (user, env, modelName) => {
      expect(
        await allowed(user, modelDeploymentsReadPermission, {
          environment: ENVIRONMENTS[env],
          entity: MODELS[modelName],
        }),
      ).toBe(expected.read(user, env, modelName));
    },
  );

  it.each(cases)(
    '%s promotes into %s (%s) as the policy says',
    async (user, env, modelName) => {
      const resource = {
        environment: ENVIRONMENTS[env],
        entity: MODELS[modelName],
      };
      expect(
        await allowed(user, modelDeploymentsPromotePermission, resource),
      ).toBe(expected.promote(user, env));
      expect(
        await allowed(user, modelDeploymentsForcePromotePermission, resource),
      ).toBe(expected.force(user));
    },
  );

  it.each(Object.keys(USERS) as User[])(
    '%s creates environments only as a platform admin',
    async user => {
      expect(
        await allowed(user, modelDeploymentsEnvironmentCreatePermission),
      ).toBe(user === 'guest');
    },
  );

  it('reads production without a model for nobody but allows other plugins', async () => {
    expect(
      await allowed('priya', modelDeploymentsReadPermission, {
        environment: ENVIRONMENTS.production,
      }),
    ).toBe(false);
    expect(
      await allowed('tomas', {
        type: 'basic',
        name: 'catalog.entity.create',
        attributes: { action: 'create' },
      }),
    ).toBe(true);
  });

  const kubernetesPermissions = {
    'kubernetes.proxy': kubernetesProxyPermission,
    'kubernetes.resources.read': kubernetesResourcesReadPermission,
    'kubernetes.clusters.read': kubernetesClustersReadPermission,
  };
  /*
   * The proxy and the resource routes reach every namespace with the
   * backend's token and have no rules by cluster or namespace: no one the
   * policy is asked about gets them, not even a query without a user (an
   * anonymous one). Plugins acting as themselves are allowed before any
   * policy is asked (kubernetesProxyLockdown.test.ts proves the plugin
   * still reaches the cluster).
   */
  it.each([
    ['guest', 'denied', 'kubernetes.proxy'],
    ['guest', 'denied', 'kubernetes.resources.read'],
    ['guest', 'allowed', 'kubernetes.clusters.read'],
    ['priya', 'denied', 'kubernetes.proxy'],
    ['priya', 'denied', 'kubernetes.resources.read'],
    ['priya', 'allowed', 'kubernetes.clusters.read'],
    ['tomas', 'denied', 'kubernetes.proxy'],
    ['tomas', 'denied', 'kubernetes.resources.read'],
    ['tomas', 'allowed', 'kubernetes.clusters.read'],
    ['no user', 'denied', 'kubernetes.proxy'],
    ['no user', 'denied', 'kubernetes.resources.read'],
    ['no user', 'allowed', 'kubernetes.clusters.read'],
  ] as const)('%s is %s %s', async (user, decision, name) => {
    expect(await allowed(user, kubernetesPermissions[name])).toBe(
      decision === 'allowed',
    );
  });
});
