import {
  EntityDeploymentsResponse,
  FleetResponse,
} from '@seed-mlops/plugin-model-deployments-common';
import request from 'supertest';
import {
  demoClusterAndGit,
  exampleModel,
} from '../../__testUtils__/demoClusterAndGit';
import { remoteHead } from '../../__testUtils__/remoteHead';
import { recordingAuditor } from '../../__testUtils__/recordingAuditor';
import { startModelDeploymentsBackend } from '../../__testUtils__/startModelDeploymentsBackend';

const IRIS = 'component:default/iris-classifier';

// Production is frozen for an hour around the test: promotions and
// rollbacks into it are refused unless forced, and its column says so.
describe('freeze windows', () => {
  const demo = demoClusterAndGit('freeze-test-');
  const auditor = recordingAuditor();
  const until = new Date(Date.now() + 3_600_000).toISOString();
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
              freeze: [
                {
                  reason: 'Quarter-end close',
                  from: new Date(Date.now() - 3_600_000).toISOString(),
                  until,
                },
              ],
            },
          }),
        ],
      },
      features: [auditor.factory],
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await demo.stop();
  });

  const post = (route: string, body: object) =>
    request(backend.server).post(`/api/model-deployments/${route}`).send(body);
  const frozen = { reason: 'Quarter-end close', until };

  it("says on the model's page and the fleet which environment is frozen, why and until when", async () => {
    const entity = (
      await request(backend.server).get(
        `/api/model-deployments/deployments?entityRef=${IRIS}`,
      )
    ).body as EntityDeploymentsResponse;
    const fleet = (
      await request(backend.server).get('/api/model-deployments/fleet')
    ).body as FleetResponse;
    for (const environments of [entity.environments, fleet.environments]) {
      expect(environments.map(e => [e.environment.name, e.frozen])).toEqual([
        ['staging', undefined],
        ['production', frozen],
      ]);
    }
  });

  it('refuses a promotion into it, says so on a dry run, and writes nothing', async () => {
    const before = await remoteHead(production);
    const preview = await post('promotions', {
      entityRef: IRIS,
      to: 'production',
      dryRun: true,
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      status: 'dry-run',
      frozen,
      message: `Would be refused: production is frozen until ${until} (Quarter-end close). Promote after that, or force it`,
    });
    const res = await post('promotions', { entityRef: IRIS, to: 'production' });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      `'production' is frozen until ${until}: Quarter-end close. Wait until then, or force the promotion`,
    );
    expect(await remoteHead(production)).toBe(before);
  });

  it('refuses a rollback into it too, unless forced', async () => {
    const before = await remoteHead(production);
    const rollback = {
      entityRef: IRIS,
      environment: 'production',
      to: { commit: before },
    };
    const res = await post('rollbacks', rollback);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(
      /'production' is frozen until .*: Quarter-end close. Wait until then, or force the rollback/,
    );
    const forced = await post('rollbacks', { ...rollback, force: true });
    expect(forced.status).toBe(200);
    expect(forced.body).toMatchObject({ status: 'up-to-date', frozen });
    expect(await remoteHead(production)).toBe(before);
  });

  it('lets a forced promotion in, audited as forced', async () => {
    const before = await remoteHead(production);
    const res = await post('promotions', {
      entityRef: IRIS,
      to: 'production',
      force: true,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'committed', frozen });
    expect(await remoteHead(production)).not.toBe(before);
    expect(
      auditor.events.filter(e => e.eventId === 'promotion').at(-1),
    ).toMatchObject({
      outcome: 'success',
      meta: expect.objectContaining({ force: true }),
    });
  });
});
