/*
 * The example policy against the real permission backend and the real
 * Kubernetes backend: users may not use the Kubernetes proxy or the
 * Kubernetes plugin's resource routes (they reach every namespace, the
 * restricted production included, with the backend's token), while the
 * model-deployments plugin, which reaches the cluster through the same
 * proxy as itself, keeps working under the same policy.
 */

import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import {
  AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesBackend from '@backstage/plugin-kubernetes-backend';
import permissionBackend from '@backstage/plugin-permission-backend';
import {
  DemoClusterServer,
  NAMESPACES,
  readManifestsFromDirectory,
} from '@seed-mlops/demo-cluster';
import modelDeploymentsBackend from '@seed-mlops/plugin-model-deployments-backend';
import { EntityDeploymentsResponse } from '@seed-mlops/plugin-model-deployments-common';
import path from 'path';
import request from 'supertest';
import examplePolicy from './modelDeploymentsPolicy';

const TOKEN = 'demo-cluster-token';
const EXAMPLES = path.resolve(__dirname, '../../../../examples');
const MODEL = 'component:default/iris-classifier';
const SELDON_DEPLOYMENTS = {
  group: 'machinelearning.seldon.io',
  apiVersion: 'v1',
  plural: 'seldondeployments',
};

/** Users and models as in examples/org.yaml and examples/entities.yaml. */
const user = (name: string, memberOf: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf },
  relations: memberOf.map(group => ({
    type: 'memberOf',
    targetRef: `group:default/${group}`,
  })),
});
const model = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'model-deployments/name': name,
      'backstage.io/kubernetes-id': name,
    },
  },
  spec: { type: 'model', lifecycle: 'production', owner },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});
const USERS = {
  guest: user('guest', ['ml-platform', 'platform-admins']),
  priya: user('priya', ['ml-platform', 'release-managers']),
  tomas: user('tomas', ['risk-ml']),
};
type UserName = keyof typeof USERS;
const MODELS = {
  iris: model('iris-classifier', 'group:default/ml-platform'),
  fraud: model('fraud-scorer', 'group:default/risk-ml'),
};

/** Ownership claims the way the catalog sign-in resolver makes them. */
const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      const entity = Object.values(USERS).find(
        u => `user:default/${u.metadata.name}` === ref,
      );
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [
          ref,
          ...(entity?.relations ?? []).map(r => r.targetRef),
        ],
      };
    },
  }),
});

/*
 * The mock auth service, except that a token a plugin gets on behalf of a
 * user names that plugin as actor, as real Backstage tokens do; the
 * permission backend only answers a plugin's conditional query for a user
 * when there is an actor. The real httpAuth service reads requests through
 * it.
 */
const MOCK_SERVICE_TOKEN = 'mock-service-token:';
const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    const authenticate = auth.authenticate.bind(auth);
    const getPluginRequestToken = auth.getPluginRequestToken.bind(auth);
    auth.getPluginRequestToken = (async options => {
      const { token } = await getPluginRequestToken(options);
      if (!auth.isPrincipal(options.onBehalfOf, 'user')) {
        return { token };
      }
      const claims = JSON.parse(token.slice(MOCK_SERVICE_TOKEN.length));
      const actor =
        options.onBehalfOf.principal.actor?.subject ??
        `plugin:${plugin.getId()}`;
      return {
        token: `${MOCK_SERVICE_TOKEN}${JSON.stringify({ ...claims, actor })}`,
      };
    }) as AuthService['getPluginRequestToken'];
    auth.authenticate = (async (token, options) => {
      const credentials = await authenticate(token, options);
      if (
        token.startsWith(MOCK_SERVICE_TOKEN) &&
        auth.isPrincipal(credentials, 'user')
      ) {
        const { actor } = JSON.parse(token.slice(MOCK_SERVICE_TOKEN.length));
        if (actor) {
          return mockCredentials.user(credentials.principal.userEntityRef, {
            actor: { subject: actor },
          });
        }
      }
      return credentials;
    }) as AuthService['authenticate'];
    return auth;
  },
});

/** A signed-in user, or the model-deployments plugin calling as itself. */
type Caller = UserName | 'model-deployments';
const authorization = (caller: Caller) =>
  caller === 'model-deployments'
    ? mockCredentials.service.header({
        onBehalfOf: mockCredentials.service('plugin:model-deployments'),
        targetPluginId: 'kubernetes',
      })
    : mockCredentials.user.header(`user:default/${caller}`);

describe('the example policy locks users out of the Kubernetes proxy', () => {
  const cluster = new DemoClusterServer({ token: TOKEN });
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    const objects = readManifestsFromDirectory(`${EXAMPLES}/cluster`);
    cluster.apply(objects.filter(o => o.kind === 'Namespace'));
    cluster.apply(objects.filter(o => o.kind !== 'Namespace'));
    await cluster.start();
    backend = await startTestBackend({
      features: [
        permissionBackend,
        examplePolicy,
        kubernetesBackend,
        modelDeploymentsBackend,
        userInfo,
        authWithActors,
        httpAuthServiceFactory,
        catalogServiceMock.factory({
          entities: [...Object.values(USERS), ...Object.values(MODELS)],
        }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            // As the example app-config, with the demo cluster on a free port.
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'demo',
                      title: 'Demo cluster',
                      url: cluster.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: TOKEN,
                      skipMetricsLookup: true,
                    },
                  ],
                },
              ],
              customResources: [SELDON_DEPLOYMENTS],
            },
            modelDeployments: {
              environments: [
                { name: 'dev', cluster: 'demo', namespace: 'dev' },
                { name: 'staging', cluster: 'demo', namespace: 'staging' },
                {
                  name: 'production',
                  cluster: 'demo',
                  namespace: 'production',
                  restricted: true,
                },
              ],
            },
          },
        }),
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await cluster.stop();
  });

  const users = Object.keys(USERS) as UserName[];
  const proxyGet = (caller: Caller) =>
    request(backend.server)
      .get(
        '/api/kubernetes/proxy/apis/machinelearning.seldon.io/v1/namespaces/production/seldondeployments',
      )
      .set('Backstage-Kubernetes-Cluster', 'demo')
      .set('Authorization', authorization(caller));
  const post = (caller: Caller, url: string, body: object) =>
    request(backend.server)
      .post(`/api/kubernetes${url}`)
      .set('Authorization', authorization(caller))
      .send(body);
  const customQuery = (caller: Caller) =>
    post(caller, '/resources/custom/query', {
      entityRef: MODEL,
      customResources: [SELDON_DEPLOYMENTS],
    });
  /** The actions registry's route to kubernetes.resources.read. */
  const invokeResourcesAction = (caller: Caller) =>
    post(
      caller,
      '/.backstage/actions/v1/actions/kubernetes:get-kubernetes-resources-for-entity/invoke',
      { name: 'iris-classifier' },
    );
  /** Namespaces of the objects in a resource-route or action answer. */
  const namespacesIn = (body: any): string[] =>
    body.items.flatMap((item: any) =>
      item.resources.flatMap((group: any) =>
        group.resources.map((r: any) => r.metadata.namespace),
      ),
    );

  it.each(users)(
    '%s may not read production through the proxy',
    async caller => {
      const res = await proxyGet(caller);
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain('iris-classifier');
    },
  );

  it.each(users)(
    '%s may not create a namespace through the proxy',
    async caller => {
      const name = `restricted-by-${caller}`;
      const creates = cluster.requestCounts.create;
      const res = await post(caller, '/proxy/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name, labels: { 'seldon.restricted': 'true' } },
      }).set('Backstage-Kubernetes-Cluster', 'demo');
      expect(res.status).toBe(403);
      expect(cluster.requestCounts.create).toBe(creates);
      expect(cluster.store.get(NAMESPACES, undefined, name)).toBeUndefined();
      // And as the demo cluster itself answers:
      const onCluster = await fetch(
        `${cluster.url}/api/v1/namespaces/${name}`,
        {
          headers: { Authorization: `Bearer ${TOKEN}` },
        },
      );
      expect(onCluster.status).toBe(404);
    },
  );

  it.each(users)(
    '%s may not use the services, workloads and custom resource routes',
    async caller => {
      const answers = await Promise.all([
        post(caller, '/services/iris-classifier', { entity: MODELS.iris }),
        post(caller, '/resources/workloads/query', { entityRef: MODEL }),
        customQuery(caller),
      ]);
      expect(answers.map(res => res.status)).toEqual([403, 403, 403]);
    },
  );

  it.each(users)(
    "%s may not call the Kubernetes plugin's resources action",
    async caller => {
      const res = await invokeResourcesAction(caller);
      // The actions registry hides an action the caller may not see.
      expect(res.status).toBe(404);
    },
  );

  it('an anonymous request never reaches the policy', async () => {
    const res = await request(backend.server)
      .get('/api/kubernetes/proxy/api/v1/namespaces')
      .set('Backstage-Kubernetes-Cluster', 'demo');
    expect(res.status).toBe(401);
  });

  it.each(users)('%s still lists the clusters', async caller => {
    const res = await request(backend.server)
      .get('/api/kubernetes/clusters')
      .set('Authorization', authorization(caller));
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: { name: string }) => c.name)).toEqual([
      'demo',
    ]);
  });

  it.each(users)(
    '%s gets the deployments of dev and staging from the model-deployments plugin',
    async caller => {
      const res = await request(backend.server)
        .get(`/api/model-deployments/deployments?entityRef=${MODEL}`)
        .set('Authorization', authorization(caller));
      expect(res.status).toBe(200);
      const columns = (res.body as EntityDeploymentsResponse).environments;
      const column = (env: string) =>
        columns.find(c => c.environment.name === env)!;
      for (const env of ['dev', 'staging']) {
        expect(column(env).error).toBeUndefined();
        expect(column(env).deployments.map(d => d.name)).toContain(
          'iris-classifier',
        );
      }
      // Production still follows the per-environment rules: the model's
      // owners (ml-platform) read it, tomas does not.
      const owner = caller !== 'tomas';
      expect({
        error: column('production').error?.type,
        iris: column('production').deployments.some(
          d => d.name === 'iris-classifier',
        ),
      }).toEqual({
        error: owner ? undefined : 'NOT_PERMITTED',
        iris: owner,
      });
    },
  );

  /*
   * What is at stake: as a service principal, the very same requests reach
   * the restricted namespace. The model-deployments plugin relies on that.
   */
  it('the model-deployments plugin, as itself, still reads production through the proxy', async () => {
    const res = await proxyGet('model-deployments');
    expect(res.status).toBe(200);
    expect(res.body.items.map((o: any) => o.metadata.name)).toContain(
      'iris-classifier',
    );
  });

  it('as a service principal the custom resource route returns objects of every namespace', async () => {
    const res = await customQuery('model-deployments');
    expect(res.status).toBe(200);
    expect(namespacesIn(res.body)).toEqual(
      expect.arrayContaining(['dev', 'staging', 'production']),
    );
  });

  it('as a service principal the resources action answers', async () => {
    const res = await invokeResourcesAction('model-deployments');
    expect(res.status).toBe(200);
    expect(namespacesIn(res.body.output)).toContain('production');
  });
});
