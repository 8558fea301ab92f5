/*
 * What per-environment permissions cost on the read path: GET /fleet and
 * GET /deployments over a fleet of models in three environments, with
 * permissions off, and with the real permission backend deciding for a user
 * it allows outright and for one it allows conditionally (unrestricted
 * environments, and restricted ones only for models they own). Prints
 * numbers; asserts only that the answers are right.
 *
 *   yarn workspace @seed-mlops/plugin-model-deployments-backend bench permissions
 *
 * BENCH_MODELS (default 1000) models, BENCH_REQUESTS (default 50) requests
 * per route and case.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { DemoClusterServer } from '@seed-mlops/demo-cluster';
import {
  EntityDeploymentsResponse,
  FleetResponse,
} from '@seed-mlops/plugin-model-deployments-common';
import request from 'supertest';
import { realPermissionFeatures } from '../src/__testUtils__/realPermissions';
import { startModelDeploymentsBackend } from '../src/__testUtils__/startModelDeploymentsBackend';
import { namespace, seldonDeployment } from '../src/__fixtures__/manifests';

const MODELS = Number(process.env.BENCH_MODELS ?? 1000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 50);
const ENVIRONMENTS = ['dev', 'staging', 'production'];
const TOKEN = 'bench-token';
const OWNERS = 'group:default/team-0';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

describe('permission cost on the read path', () => {
  const cluster = new DemoClusterServer({ token: TOKEN });
  afterAll(() => cluster.stop());

  it(`serves /fleet and /deployments over ${MODELS} models with and without permissions`, async () => {
    const names = Array.from({ length: MODELS }, (_, i) => `model-${i}`);
    cluster.apply(ENVIRONMENTS.map(env => namespace(env)));
    cluster.apply(
      ENVIRONMENTS.flatMap(env =>
        names.map(name =>
          seldonDeployment(name, env, 'Available', `gs://models/${name}/v1`, {
            'backstage.io/kubernetes-id': name,
          }),
        ),
      ),
    );
    await cluster.start();
    // Ten teams; the conditional "owner" belongs to team-0, a tenth of the fleet.
    const entities: Entity[] = names.map((name, i) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, namespace: 'default' },
      spec: { type: 'model', owner: `group:default/team-${i % 10}` },
      relations: [
        { type: 'ownedBy', targetRef: `group:default/team-${i % 10}` },
      ],
    }));
    const modelDeployments = {
      clusterRequestTimeout: { seconds: 30 },
      environments: ENVIRONMENTS.map(env => ({
        name: env,
        cluster: 'bench',
        namespace: env,
        restricted: env === 'production',
      })),
    };
    const clusters = [{ name: 'bench', url: cluster.url, token: TOKEN }];
    const off = await startModelDeploymentsBackend({
      clusters,
      entities,
      modelDeployments,
    });
    const on = await startModelDeploymentsBackend({
      clusters,
      entities,
      modelDeployments,
      config: { permission: { enabled: true } },
      features: realPermissionFeatures({ ownerGroup: OWNERS }),
    });

    const cases = [
      { label: 'permissions off', server: off.server, user: 'allow-all' },
      { label: 'allowed outright', server: on.server, user: 'allow-all' },
      { label: 'conditional, owns 10%', server: on.server, user: 'owner' },
    ];
    const lines: string[] = [
      `models: ${MODELS} in ${ENVIRONMENTS.length} environments (production restricted), ${REQUESTS} requests per route and case, one at a time`,
    ];
    const productionCounts: Record<string, number> = {};
    for (const { label, server, user } of cases) {
      const header = mockCredentials.user.header(`user:default/${user}`);
      const time = async (url: string) => {
        const ms: number[] = [];
        let body: unknown;
        for (let i = 0; i < REQUESTS + 1; i++) {
          const t0 = performance.now();
          const res = await request(server)
            .get(url)
            .set('Authorization', header);
          // The first request warms caches; it is not counted.
          if (i > 0) ms.push(performance.now() - t0);
          expect(res.status).toBe(200);
          body = res.body;
        }
        ms.sort((a, b) => a - b);
        return { ms, body };
      };
      const fleet = await time('/api/model-deployments/fleet');
      const deployments = await time(
        `/api/model-deployments/deployments?entityRef=component:default/${names[1]}`,
      );
      productionCounts[label] = (fleet.body as FleetResponse).models.filter(m =>
        m.deployments.some(d => d.environment === 'production'),
      ).length;
      const entity = deployments.body as EntityDeploymentsResponse;
      lines.push(
        `${label}: /fleet p50 ${percentile(fleet.ms, 50).toFixed(
          1,
        )} ms, p95 ${percentile(fleet.ms, 95).toFixed(
          1,
        )} ms; /deployments p50 ${percentile(deployments.ms, 50).toFixed(
          1,
        )} ms, p95 ${percentile(deployments.ms, 95).toFixed(
          1,
        )} ms; models readable in production: ${
          productionCounts[label]
        }; model-1 production: ${
          entity.environments[2].error?.type ?? 'readable'
        }`,
      );
    }
    // eslint-disable-next-line no-console
    console.log(lines.join('\n'));

    expect(productionCounts).toEqual({
      'permissions off': MODELS,
      'allowed outright': MODELS,
      'conditional, owns 10%': Math.ceil(MODELS / 10),
    });
  }, 600_000);
});
