import { createServiceFactory } from '@backstage/backend-plugin-api';
import { TestBackend } from '@backstage/backend-test-utils';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import { MODEL_SERVING_TYPES } from '@seed-mlops/demo-cluster';
import request from 'supertest';
import {
  demoClusterAndGit,
  exampleModel,
} from '../__testUtils__/demoClusterAndGit';
import { startModelDeploymentsBackend } from '../__testUtils__/startModelDeploymentsBackend';

const FRAUD = 'component:default/fraud-scorer';
const IRIS = 'component:default/iris-classifier';
const SDEP = MODEL_SERVING_TYPES.find(t => t.plural === 'seldondeployments')!;

/**
 * The plugin's signals, end to end: the real plugin on the demo cluster and
 * the demo Git server; only the signals service is recorded instead of
 * going to a signals backend.
 */
describe('signals from the plugin', () => {
  const demo = demoClusterAndGit('live-');
  const { cluster, gitServer } = demo;
  const published: Array<SignalPayload & { at: number }> = [];
  let backend: TestBackend;

  beforeAll(async () => {
    await demo.start();
    backend = await startModelDeploymentsBackend({
      clusters: [demo.clusterConfig()],
      entities: ['iris-classifier', 'fraud-scorer'].map(exampleModel),
      modelDeployments: {
        gitops: { cacheDir: demo.cacheDir },
        environments: ['dev', 'staging'].map(name => ({
          name,
          cluster: 'demo',
          namespace: name,
          gitops: { repoUrl: `${gitServer.url}/models.git`, branch: 'main' },
        })),
      },
      features: [
        createServiceFactory({
          service: signalsServiceRef,
          deps: {},
          factory: () => ({
            publish: async signal =>
              void published.push({ ...signal, at: Date.now() }),
          }),
        }),
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await demo.stop();
  });

  const signalsOn = (channel: string) =>
    published.filter(s => s.channel === channel).map(s => s.message);

  async function until(what: () => boolean, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    while (!what() && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 25));
    }
    return what();
  }

  it("signals a shown model's page when its object changes in a cluster, and no other model's", async () => {
    const shown = await request(backend.server).get(
      `/api/model-deployments/deployments?entityRef=${encodeURIComponent(
        FRAUD,
      )}`,
    );
    expect(shown.status).toBe(200);
    published.length = 0;

    const current = cluster.store.get(SDEP, 'dev', 'fraud-scorer')!;
    const spec = current.spec as Record<string, unknown>;
    cluster.apply([{ ...current, spec: { ...spec, replicas: 7 } }]);

    expect(
      await until(() =>
        signalsOn(`model-deployments:entity:${FRAUD}`).some(m =>
          (m.changed as string[]).includes('deployments'),
        ),
      ),
    ).toBe(true);
    // The fleet too (with `git` as well when the first fetch lands meanwhile).
    expect(
      signalsOn('model-deployments:fleet').some(m =>
        (m.changed as string[]).includes('deployments'),
      ),
    ).toBe(true);
    // iris-classifier was never shown, and its objects did not change.
    expect(signalsOn(`model-deployments:entity:${IRIS}`)).toEqual([]);
    expect(published.every(s => s.recipients.type === 'broadcast')).toBe(true);
  });

  it("signals the model's promotions and the Git change a promotion makes", async () => {
    published.length = 0;
    const res = await request(backend.server)
      .post('/api/model-deployments/promotions')
      .send({
        entityRef: FRAUD,
        from: 'dev',
        to: 'staging',
        force: true,
        overrides: { replicas: 9 },
      });
    expect(res.status).toBe(201);
    expect(
      await until(() => {
        const changed = signalsOn(`model-deployments:entity:${FRAUD}`).flatMap(
          m => m.changed as string[],
        );
        return changed.includes('promotions') && changed.includes('git');
      }),
    ).toBe(true);
  });
});
