/*
 * How long a promotion takes through the API against the demo Git server
 * (Debian's `git http-backend` on loopback): dry runs and real commits of
 * iris-classifier from staging to production, one after another. Prints
 * numbers; asserts only that each promotion did what it says.
 *
 *   yarn workspace @seed-mlops/plugin-model-deployments-backend bench
 *
 * BENCH_PROMOTIONS (default 20) commits and as many dry runs.
 */
import { Entity } from '@backstage/catalog-model';
import {
  DemoClusterServer,
  DemoGitServer,
  readManifestsFromDirectory,
} from '@seed-mlops/demo-cluster';
import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { startModelDeploymentsBackend } from '../src/__testUtils__/startModelDeploymentsBackend';

const PROMOTIONS = Number(process.env.BENCH_PROMOTIONS ?? 20);
const EXAMPLES = path.resolve(__dirname, '../../../examples');
const TOKEN = 'bench-token';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

describe('promotion benchmark', () => {
  const cluster = new DemoClusterServer({ token: TOKEN });
  const gitServer = new DemoGitServer({ source: `${EXAMPLES}/gitops` });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'promotion-bench-'));
  afterAll(async () => {
    await Promise.all([cluster.stop(), gitServer.stop()]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it(`promotes ${PROMOTIONS} times from staging to production`, async () => {
    const objects = readManifestsFromDirectory(`${EXAMPLES}/cluster`);
    cluster.apply(objects.filter(o => o.kind === 'Namespace'));
    cluster.apply(objects.filter(o => o.kind !== 'Namespace'));
    await Promise.all([cluster.start(), gitServer.start()]);
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'iris-classifier', namespace: 'default' },
      spec: { type: 'model', owner: 'team', lifecycle: 'production' },
    };
    const backend = await startModelDeploymentsBackend({
      clusters: [{ name: 'demo', url: cluster.url, token: TOKEN }],
      entities: [entity],
      modelDeployments: {
        gitops: { cacheDir: path.join(tmp, 'cache') },
        environments: [
          {
            name: 'staging',
            cluster: 'demo',
            namespace: 'staging',
            gitops: { repoUrl: `${gitServer.url}/models.git` },
          },
          {
            name: 'production',
            cluster: 'demo',
            namespace: 'production',
            gitops: {
              repoUrl: `${gitServer.url}/production-models.git`,
              path: 'models',
              promotionStrategy: 'commit',
            },
          },
        ],
      },
    });
    const promote = async (replicas: number, dryRun: boolean) => {
      const started = performance.now();
      const res = await request(backend.server)
        .post('/api/model-deployments/promotions')
        .send({
          entityRef: 'component:default/iris-classifier',
          to: 'production',
          overrides: { replicas },
          dryRun,
        });
      return { ms: performance.now() - started, res };
    };
    try {
      const [first] = [await promote(1, false)];
      const dryRuns: number[] = [];
      const commits: number[] = [];
      let failures = 0;
      for (let i = 0; i < PROMOTIONS; i++) {
        // Alternating replicas makes every commit a real change.
        const replicas = 2 + (i % 2);
        const dry = await promote(replicas, true);
        dryRuns.push(dry.ms);
        const real = await promote(replicas, false);
        commits.push(real.ms);
        if (dry.res.body.status !== 'dry-run') failures++;
        if (real.res.status !== 201 || real.res.body.status !== 'committed') {
          failures++;
        }
      }
      dryRuns.sort((a, b) => a - b);
      commits.sort((a, b) => a - b);
      const line = (name: string, values: number[]) =>
        `${name}: p50 ${percentile(values, 50).toFixed(0)} ms, p95 ${percentile(
          values,
          95,
        ).toFixed(0)} ms, max ${values[values.length - 1].toFixed(0)} ms`;
      // eslint-disable-next-line no-console
      console.log(
        [
          `first promotion (cold writer: init, fetch, commit, push): ${first.ms.toFixed(
            0,
          )} ms`,
          line(`dry run (fetch + plan), ${PROMOTIONS}×`, dryRuns),
          line(
            `commit (fetch + plan + commit + push + record), ${PROMOTIONS}×`,
            commits,
          ),
        ].join('\n'),
      );
      expect(first.res.status).toBe(201);
      expect(failures).toBe(0);
    } finally {
      await backend.stop();
    }
  }, 300_000);
});
