import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { PromotionRecord } from '@seed-mlops/plugin-model-deployments-common';
import request from 'supertest';
import {
  demoClusterAndGit,
  exampleModel,
} from '../../__testUtils__/demoClusterAndGit';
import { remoteHead } from '../../__testUtils__/remoteHead';
import { startModelDeploymentsBackend } from '../../__testUtils__/startModelDeploymentsBackend';
import { waitFor } from '../../__testUtils__/waitFor';

const IRIS = 'component:default/iris-classifier';
const PRIYA = 'user:default/priya';
const ADA = 'user:default/ada';

/** Ada is a release manager; Priya asks. */
const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, 'group:default/release-managers'],
      };
    },
  }),
});

// With the real scheduler: one replica's task ends promotions whose
// approval ran out of time (here 1 s), and tells the requester.
describe('approvals that run out of time', () => {
  const demo = demoClusterAndGit('approval-expiry-test-');
  let backend: Awaited<ReturnType<typeof startModelDeploymentsBackend>>;
  let production: string;

  beforeAll(async () => {
    await demo.start();
    production = `${demo.gitServer.url}/production-models.git`;
    backend = await startModelDeploymentsBackend({
      clusters: [demo.clusterConfig()],
      entities: [exampleModel('iris-classifier')],
      modelDeployments: {
        gitops: { cacheDir: demo.cacheDir },
        environments: [
          ...demo.stagingAndProduction({
            production: {
              approval: {
                groups: ['group:default/release-managers'],
                expiresAfter: { seconds: 1 },
              },
            },
          }),
        ],
        promotion: { approvalCheckInterval: { seconds: 1 } },
      },
      features: [notificationsPlugin, userInfo, schedulerServiceFactory],
      config: { app: { baseUrl: 'http://127.0.0.1:3000' } },
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await demo.stop();
  });

  const as = (ref: string) => mockCredentials.user.header(ref);

  it('expires an undecided promotion, tells the requester, and refuses a late approval', async () => {
    const before = await remoteHead(production);
    const asked = await request(backend.server)
      .post('/api/model-deployments/promotions')
      .set('Authorization', as(PRIYA))
      .send({ entityRef: IRIS, from: 'staging', to: 'production' });
    expect(asked.status).toBe(201);
    expect(asked.body.status).toBe('pending-approval');

    const record = await waitFor(
      async () =>
        (
          await request(backend.server)
            .get(`/api/model-deployments/promotions?entityRef=${IRIS}`)
            .set('Authorization', as(PRIYA))
        ).body.promotions.find((p: PromotionRecord) => p.id === asked.body.id),
      (p: PromotionRecord) => p.status !== 'pending-approval',
      100,
    );
    expect(record).toMatchObject({
      status: 'expired',
      message: expect.stringMatching(/^Expired at .* with 0 of 1 approvals$/),
      approval: { canDecide: false, decisions: [] },
    });

    const late = await request(backend.server)
      .post(`/api/model-deployments/promotions/${asked.body.id}/decisions`)
      .set('Authorization', as(ADA))
      .send({ decision: 'approve' });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe(
      'This promotion is no longer waiting for approval: it is expired',
    );
    expect(await remoteHead(production)).toBe(before);

    const told = await waitFor(
      async () =>
        (
          await request(backend.server)
            .get('/api/notifications')
            .set('Authorization', as(PRIYA))
        ).body.notifications.map((n: { payload: any }) => n.payload),
      (list: Array<{ title: string }>) =>
        list.some(n => n.title.endsWith('expired unapproved')),
    );
    expect(told).toContainEqual(
      expect.objectContaining({
        title: 'Promotion of iris-classifier to production expired unapproved',
        description: record.message,
      }),
    );
  }, 30_000);
});
