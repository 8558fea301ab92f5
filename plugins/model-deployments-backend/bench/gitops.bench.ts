/*
 * Benchmark of reading desired state from Git: a repository with 1,000
 * manifests in one environment folder, served by the demo Git server (Debian's
 * `git http-backend` on loopback). Prints cold and warm timings; asserts only
 * that what was read is right, never a time.
 *
 *   yarn workspace @seed-mlops/plugin-model-deployments-backend bench
 *
 * BENCH_MANIFESTS (default 1000) manifests, BENCH_UPDATES (default 20)
 * later commits that each change one manifest.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { DemoGitServer } from '@seed-mlops/demo-cluster';
import { Environment } from '@seed-mlops/plugin-model-deployments-common';
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import { GitHostAllowList } from '../src/gitops/GitHostAllowList';
import { GitOpsService } from '../src/gitops/GitOpsService';
import { manifestFor } from '../src/gitops/parseManifests';

const MANIFESTS = Number(process.env.BENCH_MANIFESTS ?? 1000);
const UPDATES = Number(process.env.BENCH_UPDATES ?? 20);
const execFileAsync = promisify(execFile);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function manifest(i: number, version: number) {
  return JSON.stringify(
    {
      apiVersion: 'machinelearning.seldon.io/v1',
      kind: 'SeldonDeployment',
      metadata: {
        name: `model-${i}`,
        labels: { 'backstage.io/kubernetes-id': `model-${i}` },
      },
      spec: {
        protocol: 'v2',
        predictors: [
          {
            name: 'default',
            replicas: 2,
            graph: {
              name: 'classifier',
              implementation: 'SKLEARN_SERVER',
              modelUri: `gs://models/model-${i}/v${version}`,
            },
          },
        ],
      },
    },
    null,
    2,
  );
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
}

describe('GitOps read benchmark', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-bench-'));
  const source = path.join(tmp, 'source');
  const server = new DemoGitServer({ source });
  afterAll(async () => {
    await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it(`reads a ${MANIFESTS}-manifest repository cold and warm`, async () => {
    // Two commits of half the manifests each, then one commit per update.
    const folder = path.join(source, 'fleet', 'production');
    fs.mkdirSync(folder, { recursive: true });
    const file = (i: number) => `SeldonDeployment-model-${i}.json`;
    for (let i = 0; i < MANIFESTS; i++) {
      fs.writeFileSync(path.join(folder, file(i)), manifest(i, 1));
    }
    const half = Math.ceil(MANIFESTS / 2);
    fs.writeFileSync(
      path.join(source, 'fleet', '.history.json'),
      JSON.stringify([
        {
          paths: Array.from(
            { length: half },
            (_, i) => `production/${file(i)}`,
          ),
          action: 'Deployment created',
        },
        { paths: ['production'], action: 'Deployment created' },
      ]),
    );
    await server.start();

    const work = path.join(tmp, 'work');
    await execFileAsync('git', [
      'clone',
      '-q',
      `${server.url}/fleet.git`,
      work,
    ]);
    const git = (...args: string[]) =>
      execFileAsync(
        'git',
        [
          '-c',
          'user.name=Bench',
          '-c',
          'user.email=bench@example.com',
          ...args,
        ],
        { cwd: work },
      );
    const update = async (i: number, version: number) => {
      fs.writeFileSync(
        path.join(work, 'production', file(i)),
        manifest(i, version),
      );
      await git('commit', '-qam', `model-${i} v${version}`);
    };
    for (let u = 0; u < UPDATES; u++) await update(u % 10, 2 + u);
    await git('push', '-q', 'origin', 'HEAD:main');

    const env: Environment = {
      name: 'production',
      title: 'Production',
      stage: 30,
      cluster: 'bench',
      namespace: 'production',
      restricted: false,
      origin: 'config',
      gitops: {
        repoUrl: `${server.url}/fleet.git`,
        branch: 'main',
        path: 'production',
      },
    };
    const cacheDir = path.join(tmp, 'cache');
    const service = () =>
      new GitOpsService({
        cacheDir,
        depth: 100,
        timeoutMs: 60_000,
        refreshIntervalMs: 3_600_000,
        logger: mockServices.logger.mock(),
        allowList: GitHostAllowList.allowing(server.url),
      });

    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const cold = service();
    const [, cloneMs] = await timed(() => cold.refresh(env.gitops!));
    const [desired, parseMs] = await timed(() => cold.desiredState(env, 0));
    const [history, historyMs] = await timed(() => cold.history(env));
    global.gc?.();
    const heapAfter = process.memoryUsage().heapUsed;

    // Warm: nothing new to fetch, everything answered from memory.
    const [, fetchMs] = await timed(() => cold.refresh(env.gitops!));
    const [, cachedMs] = await timed(() => cold.desiredState(env, 0));
    const [, cachedHistoryMs] = await timed(() => cold.history(env));

    // One new commit: fetch it, then read the folder and history again.
    await update(0, 100);
    await git('push', '-q', 'origin', 'HEAD:main');
    const [, fetchNewMs] = await timed(() => cold.refresh(env.gitops!));
    const [afterUpdate, reparseMs] = await timed(() =>
      cold.desiredState(env, 0),
    );
    const [newHistory, rewalkMs] = await timed(() => cold.history(env));
    cold.stop();

    // A restarted backend: the mirror is on disk, memory is empty.
    const restarted = service();
    const [, restartFetchMs] = await timed(() =>
      restarted.refresh(env.gitops!),
    );
    const [, restartParseMs] = await timed(() =>
      restarted.desiredState(env, 0),
    );
    const [, restartHistoryMs] = await timed(() => restarted.history(env));
    restarted.stop();

    const ms = (value: number) => `${value.toFixed(0)} ms`;
    // eslint-disable-next-line no-console
    console.log(
      [
        `repository: ${MANIFESTS} manifests in one folder, ${
          2 + UPDATES
        } commits`,
        `cold (empty cache dir): clone ${ms(cloneMs)}, read+parse+index ${ms(
          parseMs,
        )}, history walk ${ms(historyMs)}, total ${ms(
          cloneMs + parseMs + historyMs,
        )}`,
        `warm (no new commit): fetch ${ms(fetchMs)}, read ${cachedMs.toFixed(
          2,
        )} ms, history ${cachedHistoryMs.toFixed(2)} ms`,
        `one new commit: fetch ${ms(fetchNewMs)}, read+parse+index ${ms(
          reparseMs,
        )}, history walk ${ms(rewalkMs)}`,
        `restart (mirror on disk): fetch ${ms(
          restartFetchMs,
        )}, read+parse+index ${ms(restartParseMs)}, history walk ${ms(
          restartHistoryMs,
        )}`,
        `heap used: +${mib(heapAfter - heapBefore)} after the cold read${
          global.gc ? '' : ' (no --expose-gc)'
        }`,
      ].join('\n'),
    );

    expect(desired?.git.error).toBeUndefined();
    expect(desired?.git.fileErrors).toEqual([]);
    expect(desired?.index.byIdentity.size).toBe(MANIFESTS);
    expect(history?.commits).toHaveLength(2 + UPDATES);
    expect(
      afterUpdate &&
        manifestFor(
          afterUpdate.index,
          {
            apiVersion: 'machinelearning.seldon.io/v1',
            kind: 'SeldonDeployment',
            metadata: { name: 'model-0', namespace: 'production' },
          },
          env,
        )?.object.spec.predictors[0].graph.modelUri,
    ).toBe('gs://models/model-0/v100');
    expect(newHistory?.changes.get(`production/${file(0)}`)?.[0]).toBe(0);
    expect(newHistory?.commits[0].summary).toBe('model-0 v100');
  }, 300_000);
});
