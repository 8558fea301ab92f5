import {
  PromotionGateResult,
  PromotionResult,
} from '@seed-mlops/plugin-model-deployments-common';
import request from 'supertest';
import {
  demoClusterAndGit,
  exampleModel,
} from '../../__testUtils__/demoClusterAndGit';
import { realPrometheus } from '../../__testUtils__/realPrometheus';
import { remoteHead } from '../../__testUtils__/remoteHead';
import { recordingAuditor } from '../../__testUtils__/recordingAuditor';
import { startModelDeploymentsBackend } from '../../__testUtils__/startModelDeploymentsBackend';
import { PromotionGates } from './PromotionGates';

const IRIS = 'component:default/iris-classifier';
const ERRORS = (name: string) =>
  `model_error_ratio{namespace="staging",deployment="${name}"}`;

// Staging's gates, checked before promoting out of it into production: its
// deployments Ready and in sync, for at least a second, and their error
// ratio, which a real Prometheus scrapes from an endpoint the test sets.
describe('verification gates', () => {
  const demo = demoClusterAndGit('gates-test-');
  const prometheus = realPrometheus();
  const auditor = recordingAuditor();
  let backend: Awaited<ReturnType<typeof startModelDeploymentsBackend>>;
  let production: string;

  beforeAll(async () => {
    await Promise.all([demo.start(), prometheus.start()]);
    production = `${demo.gitServer.url}/production-models.git`;
    backend = await startModelDeploymentsBackend({
      clusters: [demo.clusterConfig()],
      entities: ['iris-classifier', 'price-optimizer'].map(exampleModel),
      modelDeployments: {
        gitops: { cacheDir: demo.cacheDir },
        environments: [
          ...demo.stagingAndProduction({
            staging: {
              verification: {
                minSoakTime: { seconds: 1 },
                prometheus: { baseUrl: prometheus.url },
                metrics: [
                  {
                    name: 'error-rate',
                    query:
                      'model_error_ratio{namespace="{{namespace}}",deployment="{{name}}"}',
                    max: 0.05,
                  },
                ],
              },
            },
          }),
        ],
      },
      features: [auditor.factory],
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([demo.stop(), prometheus.stop()]);
  });

  const promote = (body: object) =>
    request(backend.server)
      .post('/api/model-deployments/promotions')
      .send({ entityRef: IRIS, from: 'staging', to: 'production', ...body });

  const gate = (result: PromotionResult, name: string) =>
    result.gates?.find(g => g.name === name);

  it('shows every gate with its value on a dry run', async () => {
    prometheus.set(ERRORS('iris-classifier'), 0.01);
    await prometheus.waitForValue(ERRORS('iris-classifier'), 0.01);
    const res = await promote({ dryRun: true });
    expect(res.status).toBe(200);
    const result = res.body as PromotionResult;
    expect(result.status).toBe('dry-run');
    expect(result.gates).toEqual<PromotionGateResult[]>([
      {
        name: 'source-ready',
        kind: 'source-ready',
        passed: true,
        value: 'SeldonDeployment iris-classifier: Ready, InSync',
        expected: 'Ready and in sync with Git',
        message: 'Every deployment is Ready and in sync with Git',
      },
      {
        name: 'soak-time',
        kind: 'soak-time',
        passed: true,
        // Since the later of the Ready transition and the last Git change
        // (see soakTime.test.ts); in the examples, days ago.
        value: expect.stringMatching(/^Ready and in sync for \d+ (s|min|h|d)/),
        expected: 'at least 1 s',
        message: expect.stringContaining("in 'staging'"),
      },
      {
        name: 'error-rate',
        kind: 'metric',
        passed: true,
        value: '0.01',
        expected: 'at most 0.05',
        message: 'error-rate is 0.01',
      },
    ]);
  });

  it('refuses a promotion past a failing metric, writes nothing, and says why', async () => {
    prometheus.set(ERRORS('iris-classifier'), 0.2);
    await prometheus.waitForValue(ERRORS('iris-classifier'), 0.2);
    const before = await remoteHead(production);

    const preview = await promote({ dryRun: true });
    expect(preview.status).toBe(200);
    expect(gate(preview.body, 'error-rate')).toMatchObject({
      passed: false,
      value: '0.2',
      message: 'error-rate is 0.2; must be at most 0.05',
    });
    expect(preview.body.message).toBe(
      'Would be refused: error-rate failed in staging. Promote once the gates pass, or force it',
    );

    const res = await promote({});
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      "Verification of 'staging' failed: error-rate is 0.2; must be at most 0.05. Promote once the gates pass, or force the promotion",
    );
    expect(await remoteHead(production)).toBe(before);
    expect(
      auditor.events.filter(e => e.eventId === 'promotion').at(-1),
    ).toMatchObject({ outcome: 'fail', error: 'ConflictError' });
  });

  it('lets a forced promotion past the failing gate, and audits it as forced', async () => {
    const before = await remoteHead(production);
    const res = await promote({ force: true });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('committed');
    expect(gate(res.body, 'error-rate')).toMatchObject({ passed: false });
    expect(await remoteHead(production)).not.toBe(before);
    expect(
      auditor.events.filter(e => e.eventId === 'promotion').at(-1),
    ).toMatchObject({
      outcome: 'success',
      meta: expect.objectContaining({ force: true }),
      success: expect.objectContaining({ failedGates: ['error-rate'] }),
    });
  });

  it('fails a metric gate with no data, naming the query', async () => {
    const res = await promote({
      entityRef: 'component:default/price-optimizer',
      dryRun: true,
    });
    expect(res.status).toBe(200);
    expect(gate(res.body, 'error-rate')).toEqual({
      name: 'error-rate',
      kind: 'metric',
      passed: false,
      expected: 'at most 0.05',
      message:
        'No data for model_error_ratio{namespace="staging",deployment="price-optimizer"}',
    });
  });

  it('says what Prometheus answered to a bad query, and when it cannot be reached', async () => {
    const deployment = {
      kind: 'SeldonDeployment',
      name: 'iris-classifier',
      namespace: 'staging',
      phase: 'Ready',
      conditions: [],
    } as any;
    const check = (baseUrl: string, query: string) =>
      new PromotionGates({
        policies: new Map([
          [
            'staging',
            {
              requireReady: false,
              prometheus: { baseUrl, timeoutMs: 2_000 },
              metrics: [{ name: 'error-rate', query, max: 1 }],
            },
          ],
        ]),
      }).check({ name: 'staging' } as any, [{ deployment } as any]);
    const [bad] = await check(prometheus.url, 'sum(model_error_ratio');
    expect(bad).toMatchObject({ passed: false });
    expect(bad.message).toMatch(
      new RegExp(
        `^Prometheus at ${prometheus.url} answered 400: .*parse error`,
      ),
    );
    const [down] = await check('http://127.0.0.1:1', 'up');
    expect(down).toMatchObject({
      passed: false,
      message: expect.stringMatching(/^Prometheus at http:\/\/127.0.0.1:1: /),
    });
  });
});
