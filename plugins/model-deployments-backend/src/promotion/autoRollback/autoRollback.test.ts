import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { PromotionRecord } from '@seed-mlops/plugin-model-deployments-common';
import { execFile } from 'child_process';
import path from 'path';
import request from 'supertest';
import { promisify } from 'util';
import {
  demoClusterAndGit,
  exampleModel,
} from '../../__testUtils__/demoClusterAndGit';
import { startModelDeploymentsBackend } from '../../__testUtils__/startModelDeploymentsBackend';
import { readAutoRollbackConfig } from './AutoRollback';
import { waitFor } from '../../__testUtils__/waitFor';

const execFileAsync = promisify(execFile);
const FILE = 'models/SeldonDeployment-iris-classifier.json';
const IRIS = 'component:default/iris-classifier';

const user: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'mock', namespace: 'default' },
  spec: { memberOf: [] },
};

// Production opts in: a promotion whose deployment turns Failed once the
// cluster runs it is rolled back to the commit before it, by the plugin.
describe('automatic rollback', () => {
  const demo = demoClusterAndGit('auto-rollback-test-');
  let backend: Awaited<ReturnType<typeof startModelDeploymentsBackend>>;

  beforeAll(async () => {
    await demo.start();
    backend = await startModelDeploymentsBackend({
      clusters: [demo.clusterConfig()],
      entities: [exampleModel('iris-classifier'), user],
      modelDeployments: {
        gitops: { cacheDir: demo.cacheDir },
        promotion: { autoRollbackCheckInterval: { milliseconds: 300 } },
        environments: [
          ...demo.stagingAndProduction({
            production: {
              autoRollback: { within: { minutes: 30 } },
            },
          }),
        ],
      },
      // The real scheduler (the test backend's runs each task once).
      features: [notificationsPlugin, schedulerServiceFactory],
      config: { app: { baseUrl: 'http://127.0.0.1:3000' } },
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await demo.stop();
  });

  const git = async (...args: string[]) =>
    (
      await execFileAsync('git', [
        '--git-dir',
        path.join(demo.gitServer.repositoriesDir, 'production-models.git'),
        ...args,
      ])
    ).stdout.trim();
  const records = async () =>
    (
      await request(backend.server).get(
        `/api/model-deployments/promotions?entityRef=${IRIS}`,
      )
    ).body.promotions as PromotionRecord[];

  it('rolls a promotion back when its deployment turns Failed in sync with Git, once', async () => {
    const before = await git('rev-parse', 'main');
    const res = await request(backend.server)
      .post('/api/model-deployments/promotions')
      .send({ entityRef: IRIS, from: 'staging', to: 'production' });
    expect(res.status).toBe(201);
    const promoted = res.body.commit.sha as string;

    // Ready as before: nothing happens while the cluster still runs v3.
    await new Promise(resolve => setTimeout(resolve, 1_500));
    expect(await git('rev-parse', 'main')).toBe(promoted);

    // The sync tool applies the promoted manifest, and it fails.
    const manifest = JSON.parse(await git('show', `${promoted}:${FILE}`));
    demo.cluster.apply([
      {
        ...manifest,
        metadata: { ...manifest.metadata, namespace: 'production' },
        status: { state: 'Failed', description: 'Readiness probe failed' },
      },
    ]);

    const rollback = await waitFor(
      async () => (await records())[0],
      record => record?.kind === 'rollback' && record.status !== 'running',
      400,
    );
    expect(rollback).toMatchObject({
      kind: 'rollback',
      status: 'committed',
      actor: 'plugin:model-deployments',
      from: 'production',
      to: 'production',
      restored: { commit: before },
    });
    const head = await git('rev-parse', 'main');
    expect(head).toBe(rollback.commit!.sha);
    expect(await git('rev-parse', `${head}~1`)).toBe(promoted);
    expect(await git('show', `${head}:${FILE}`)).toBe(
      await git('show', `${before}:${FILE}`),
    );

    // The requester hears why.
    const notifications = await waitFor(
      async () =>
        (
          await request(backend.server).get('/api/notifications')
        ).body.notifications as Array<{ payload: any }>,
      list => list.some(n => /automatically/.test(n.payload.description)),
      100,
    );
    expect(notifications.map(n => n.payload)).toContainEqual(
      expect.objectContaining({
        title: 'Rolled back iris-classifier in production',
        description: expect.stringMatching(
          /^Rolled back automatically: SeldonDeployment iris-classifier turned Failed within 30 min of promotion /,
        ),
      }),
    );

    // Checked again and again: one rollback, not more.
    await new Promise(resolve => setTimeout(resolve, 1_500));
    expect(await git('rev-parse', 'main')).toBe(head);
    expect((await records()).filter(r => r.kind === 'rollback')).toHaveLength(
      1,
    );
  }, 90_000);
});

describe('readAutoRollbackConfig', () => {
  it('takes only the environments that opted in, 30 minutes unless set', () => {
    const config = new ConfigReader({
      modelDeployments: {
        environments: [
          { name: 'dev', cluster: 'c' },
          { name: 'staging', cluster: 'c', autoRollback: {} },
          {
            name: 'production',
            cluster: 'c',
            autoRollback: { within: { hours: 2 } },
          },
          { name: 'eu', cluster: 'c', autoRollback: { enabled: false } },
        ],
      },
    });
    expect([...readAutoRollbackConfig(config)]).toEqual([
      ['staging', 30 * 60_000],
      ['production', 2 * 3_600_000],
    ]);
  });
});
