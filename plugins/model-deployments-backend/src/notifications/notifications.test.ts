import { Entity } from '@backstage/catalog-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import request from 'supertest';
import {
  demoClusterAndGit,
  exampleModel,
} from '../__testUtils__/demoClusterAndGit';
import { startModelDeploymentsBackend } from '../__testUtils__/startModelDeploymentsBackend';
import { waitFor } from '../__testUtils__/waitFor';

/** The test user (mockCredentials' default) and the models' owning team. */
const user: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'mock', namespace: 'default' },
  spec: { memberOf: ['team'] },
};
const team: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

// Through Backstage's own notifications backend: what the requester and
// the model's owners see in the portal after a promotion or a refusal.
describe('notifications', () => {
  const demo = demoClusterAndGit('notifications-test-');
  let backend: Awaited<ReturnType<typeof startModelDeploymentsBackend>>;

  beforeAll(async () => {
    await demo.start();
    backend = await startModelDeploymentsBackend({
      clusters: [demo.clusterConfig()],
      entities: [exampleModel('iris-classifier'), user, team],
      modelDeployments: {
        gitops: { cacheDir: demo.cacheDir },
        environments: [
          ...demo.stagingAndProduction(),
          {
            name: 'frozen',
            cluster: 'demo',
            namespace: 'dev',
            gitops: {
              repoUrl: `${demo.gitServer.url}/models.git`,
              branch: 'main',
              path: 'dev',
            },
            freeze: [
              {
                reason: 'Audit',
                from: '2020-01-01T00:00:00Z',
                until: '2099-01-01T00:00:00Z',
              },
            ],
          },
        ],
        promotion: { allowSkippingStages: true },
      },
      features: [notificationsPlugin],
      config: { app: { baseUrl: 'http://127.0.0.1:3000' } },
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await demo.stop();
  });

  const titles = async () => {
    const res = await request(backend.server).get('/api/notifications');
    expect(res.status).toBe(200);
    return (res.body.notifications as Array<{ payload: any }>).map(
      n => n.payload,
    );
  };

  it('tells the requester and the owners that a promotion landed', async () => {
    const res = await request(backend.server)
      .post('/api/model-deployments/promotions')
      .send({
        entityRef: 'component:default/iris-classifier',
        from: 'staging',
        to: 'production',
      });
    expect(res.status).toBe(201);
    const payloads = await waitFor(titles, list => list.length > 0);
    expect(payloads).toEqual([
      expect.objectContaining({
        title: 'Promoted iris-classifier to production',
        description: res.body.message,
        link: '/catalog/default/component/iris-classifier',
        severity: 'normal',
        topic: 'model-deployments',
        scope: `model-deployments:promotion:${res.body.id}`,
      }),
    ]);
  });

  it('tells the requester that a promotion was refused, and why', async () => {
    const res = await request(backend.server)
      .post('/api/model-deployments/promotions')
      .send({
        entityRef: 'component:default/iris-classifier',
        from: 'production',
        to: 'frozen',
      });
    expect(res.status).toBe(409);
    const payloads = await waitFor(titles, list => list.length > 1);
    expect(payloads).toContainEqual(
      expect.objectContaining({
        title: 'Promotion of iris-classifier to frozen refused',
        description: res.body.error.message,
      }),
    );
  });
});
