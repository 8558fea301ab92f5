/*
 * Benchmark of the read path: a fleet of models in three environments, served
 * through the real Kubernetes backend proxy from a demo cluster on loopback.
 * Prints numbers; asserts only that every answer is correct, never a time.
 *
 *   yarn workspace @seed-mlops/plugin-model-deployments-backend bench
 *
 * BENCH_MODELS (default 1000) models per environment, BENCH_REQUESTS
 * (default 500) page views, BENCH_CONCURRENCY (default 10) at a time.
 */
import { Entity } from '@backstage/catalog-model';
import { DemoClusterServer } from '@seed-mlops/demo-cluster';
import {
  EntityDeploymentsResponse,
  defaultModelResourceKinds,
} from '@seed-mlops/plugin-model-deployments-common';
import request from 'supertest';
import { startModelDeploymentsBackend } from '../src/__testUtils__/startModelDeploymentsBackend';
import { namespace, seldonDeployment } from '../src/__fixtures__/manifests';

const MODELS = Number(process.env.BENCH_MODELS ?? 1000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const ENVIRONMENTS = ['dev', 'staging', 'production'];
const TOKEN = 'bench-token';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

describe('read path benchmark', () => {
  const cluster = new DemoClusterServer({ token: TOKEN });
  afterAll(() => cluster.stop());

  it(`serves ${REQUESTS} page views over ${MODELS} models × ${ENVIRONMENTS.length} environments`, async () => {
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
    const entities: Entity[] = names.map(name => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, namespace: 'default' },
      spec: { type: 'model', owner: 'team', lifecycle: 'production' },
    }));

    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const { server } = await startModelDeploymentsBackend({
      clusters: [{ name: 'bench', url: cluster.url, token: TOKEN }],
      entities: entities,
      modelDeployments: {
        clusterRequestTimeout: { seconds: 30 },
        environments: ENVIRONMENTS.map(env => ({
          name: env,
          cluster: 'bench',
          namespace: env,
        })),
      },
    });

    const view = async (name: string) => {
      const t0 = performance.now();
      const res = await request(server).get(
        `/api/model-deployments/deployments?entityRef=component:default/${name}`,
      );
      const ms = performance.now() - t0;
      return { ms, res };
    };
    // The first view waits for the caches to fill.
    const first = await view(names[0]);
    const warm = performance.now() - started;

    const latencies: number[] = [];
    let failures = 0;
    let next = 0;
    const worker = async () => {
      while (next < REQUESTS) {
        const name = names[next++ % names.length];
        const { ms, res } = await view(name);
        latencies.push(ms);
        const body = res.body as EntityDeploymentsResponse;
        const ok =
          res.status === 200 &&
          body.environments.length === ENVIRONMENTS.length &&
          body.environments.every(
            e =>
              !e.error &&
              e.deployments.length === 1 &&
              e.deployments[0].name === name,
          );
        if (!ok) failures++;
      }
    };
    const loadStarted = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    global.gc?.();
    const heapAfter = process.memoryUsage().heapUsed;

    latencies.sort((a, b) => a - b);
    // eslint-disable-next-line no-console
    console.log(
      [
        `models per environment: ${MODELS}, environments: ${
          ENVIRONMENTS.length
        }, objects: ${MODELS * ENVIRONMENTS.length}`,
        `backend start to first answer (cold cache): ${warm.toFixed(
          0,
        )} ms (first view ${first.ms.toFixed(0)} ms)`,
        `page views: ${REQUESTS} at concurrency ${CONCURRENCY} in ${loadSeconds.toFixed(
          2,
        )} s = ${(REQUESTS / loadSeconds).toFixed(0)}/s`,
        `latency ms: p50 ${percentile(latencies, 50).toFixed(
          1,
        )}, p95 ${percentile(latencies, 95).toFixed(1)}, p99 ${percentile(
          latencies,
          99,
        ).toFixed(1)}, max ${latencies[latencies.length - 1].toFixed(1)}`,
        `heap used: ${mib(heapBefore)} before backend, ${mib(
          heapAfter,
        )} after load (+${mib(heapAfter - heapBefore)}${
          global.gc ? '' : ', no --expose-gc'
        })`,
        `cluster requests: ${JSON.stringify(cluster.requestCounts)}`,
      ].join('\n'),
    );

    expect(first.res.status).toBe(200);
    expect(failures).toBe(0);
    expect(latencies).toHaveLength(REQUESTS);
    // Page views are served from the cache: one list and one watch per kind and environment.
    expect(cluster.requestCounts.list).toBe(
      defaultModelResourceKinds.length * ENVIRONMENTS.length,
    );
  }, 300_000);
});
