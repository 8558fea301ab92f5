import {
  DemoClusterServer,
  DemoGitServer,
  readManifestsFromDirectory,
} from '@seed-mlops/demo-cluster';
import { Entity } from '@backstage/catalog-model';
import { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  DeploymentHistoryResponse,
  EntityDeploymentsResponse,
} from '@seed-mlops/plugin-model-deployments-common';
import { execFile } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { promisify } from 'util';
import { startModelDeploymentsBackend } from './__testUtils__/startModelDeploymentsBackend';
import { waitFor } from './__testUtils__/waitFor';

const execFileAsync = promisify(execFile);
/** Runs git in `cwd` as the person who pushes fixes in these tests. */
const gitAsKim =
  (cwd: string) =>
  (...args: string[]) =>
    execFileAsync(
      'git',
      ['-c', 'user.name=Kim Lee', '-c', 'user.email=kim@example.com', ...args],
      { cwd },
    );
const TOKEN = 'demo-cluster-token';

describe('model-deployments sync state from Git', () => {
  const examples = path.resolve(__dirname, '../../../examples');
  const cluster = new DemoClusterServer({ token: TOKEN });
  const gitServer = new DemoGitServer({ source: `${examples}/gitops` });
  // Started only after the backend, on a port reserved up front.
  let lateGitServer: DemoGitServer | undefined;
  let latePort = 0;
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-cache-'));
  let stopBackend: (() => Promise<void>) | undefined;
  let server: Awaited<
    ReturnType<typeof startModelDeploymentsBackend>
  >['server'];
  const scheduler = mockServices.scheduler.mock();

  beforeAll(async () => {
    const objects = readManifestsFromDirectory(`${examples}/cluster`);
    cluster.apply(objects.filter(o => o.kind === 'Namespace'));
    cluster.apply(objects.filter(o => o.kind !== 'Namespace'));
    await Promise.all([cluster.start(), gitServer.start()]);
    latePort = await new Promise<number>(resolve => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const modelEntity = (name: string): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, namespace: 'default' },
      spec: { type: 'model', owner: 'team', lifecycle: 'production' },
    });
    const backend = await startModelDeploymentsBackend({
      clusters: [
        { name: 'demo', url: cluster.url, token: TOKEN },
        { name: 'demo-late', url: cluster.url, token: TOKEN },
        // The same cluster again, for an environment whose Git is down.
        { name: 'demo-again', url: cluster.url, token: TOKEN },
      ],
      entities: [
        'iris-classifier',
        'sentiment-analysis',
        'price-optimizer',
        'fraud-scorer',
      ].map(modelEntity),
      features: [scheduler.factory],
      modelDeployments: {
        gitops: { cacheDir },
        environments: [
          {
            name: 'dev',
            cluster: 'demo',
            namespace: 'dev',
            gitops: {
              repoUrl: `${gitServer.url}/models.git`,
              branch: 'main',
              path: 'dev',
            },
          },
          {
            name: 'staging',
            cluster: 'demo',
            namespace: 'staging',
            gitops: {
              repoUrl: `${gitServer.url}/models.git`,
              branch: 'main',
            },
          },
          {
            name: 'production',
            cluster: 'demo',
            namespace: 'production',
            gitops: {
              repoUrl: `${gitServer.url}/production-models.git`,
              branch: 'main',
              path: 'models',
            },
          },
          {
            name: 'late',
            cluster: 'demo-late',
            namespace: 'production',
            gitops: {
              repoUrl: `http://127.0.0.1:${latePort}/production-models.git`,
              branch: 'main',
              path: 'models',
            },
          },
          {
            name: 'lost',
            cluster: 'demo-again',
            namespace: 'staging',
            // Port 1 on loopback: nothing listens there.
            gitops: {
              repoUrl: 'http://127.0.0.1:1/models.git',
              path: 'staging',
            },
          },
        ],
      },
    });
    stopBackend = () => backend.stop();
    server = backend.server;
  }, 60_000);

  afterAll(async () => {
    await stopBackend?.();
    await Promise.all([
      cluster.stop(),
      gitServer.stop(),
      lateGitServer?.stop(),
    ]);
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  const historyOf = async (query: string) =>
    request(server).get(`/api/model-deployments/history?${query}`);

  const environmentsOf = async (name: string) => {
    const res = await request(server).get(
      `/api/model-deployments/deployments?entityRef=component:default/${name}`,
    );
    expect(res.status).toBe(200);
    const body = res.body as EntityDeploymentsResponse;
    return Object.fromEntries(
      body.environments.map(e => [e.environment.name, e]),
    );
  };

  it('tells drift, with the fields that differ, from a faithful apply', async () => {
    const iris = await environmentsOf('iris-classifier');
    expect(iris.dev.git).toMatchObject({
      repoUrl: `${gitServer.url}/models.git`,
      path: 'dev',
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
      fileErrors: [],
    });
    expect(iris.dev.deployments[0]).toMatchObject({
      gitPath: 'dev/SeldonDeployment-iris-classifier.json',
      sync: {
        state: 'OutOfSync',
        differences: [
          {
            field: 'predictors[default].graph.modelUri',
            git: 'gs://acme-models/iris/v4',
            cluster: 'gs://acme-models/iris/v3',
          },
          { field: 'predictors[default].replicas', git: 2, cluster: 1 },
        ],
      },
    });
    // The folder defaults to the namespace name, Seldon's layout.
    expect(iris.staging.git?.path).toBe('staging');
    expect(iris.staging.deployments[0].sync).toEqual({ state: 'InSync' });
    expect(iris.production.deployments[0].sync).toEqual({ state: 'InSync' });
  });

  it('marks unmanaged objects and manifests the cluster does not have yet', async () => {
    const sentiment = await environmentsOf('sentiment-analysis');
    expect(sentiment.dev.deployments[0].sync).toEqual({ state: 'NotInGit' });
    expect(sentiment.staging.deployments[0].sync).toEqual({ state: 'InSync' });

    const price = await environmentsOf('price-optimizer');
    expect(price.production.deployments).toEqual([
      expect.objectContaining({
        kind: 'Model',
        name: 'price-optimizer',
        namespace: 'production',
        phase: 'Unknown',
        availableReplicas: 0,
        gitPath: 'models/Model-price-optimizer.yaml',
        sync: { state: 'MissingInCluster' },
      }),
    ]);
  });

  it('gives each deployment the commit that last changed its manifest', async () => {
    const iris = await environmentsOf('iris-classifier');
    expect(iris.dev.deployments[0].lastCommit).toEqual({
      sha: iris.dev.git?.commit,
      author: { name: 'Tomás Ortega', email: 'tomas@example.com' },
      committedAt: '2026-11-22T16:00:00.000Z',
      action: 'Deployment updated',
      summary: 'iris v4 with two replicas',
    });
    expect(iris.production.deployments[0].lastCommit).toMatchObject({
      action: 'Moving deployment to production repo',
      committedAt: '2026-11-20T09:00:00.000Z',
    });
    // Unmanaged: no manifest, so no commit.
    const sentiment = await environmentsOf('sentiment-analysis');
    expect(sentiment.dev.deployments[0].lastCommit).toBeUndefined();
  });

  it("pages through the commits that changed a model's manifests in one environment", async () => {
    const res = await historyOf(
      'entityRef=component:default/fraud-scorer&environment=dev',
    );
    expect(res.status).toBe(200);
    const body = res.body as DeploymentHistoryResponse;
    expect(body).toMatchObject({
      entityRef: 'component:default/fraud-scorer',
      environment: 'dev',
      paths: ['dev/SeldonDeployment-fraud-scorer.json'],
      headCommit: expect.stringMatching(/^[0-9a-f]{40}$/),
      totalCount: 2,
      offset: 0,
      limit: 20,
      complete: true,
    });
    expect(body.commits.map(c => [c.summary, c.author.name])).toEqual([
      ['fraud-scorer v5: retrained on October data', 'Amara Okafor'],
      ['First models in dev', 'Amara Okafor'],
    ]);
    expect(body.commits[0].paths).toEqual([
      'dev/SeldonDeployment-fraud-scorer.json',
    ]);

    const second = (
      await historyOf(
        'entityRef=component:default/fraud-scorer&environment=dev&limit=1&offset=1',
      )
    ).body as DeploymentHistoryResponse;
    expect(second.commits.map(c => c.summary)).toEqual(['First models in dev']);
    expect(second).toMatchObject({ totalCount: 2, offset: 1, limit: 1 });

    const past = (
      await historyOf(
        'entityRef=component:default/fraud-scorer&environment=dev&offset=5',
      )
    ).body as DeploymentHistoryResponse;
    expect(past).toMatchObject({ commits: [], totalCount: 2 });
  });

  it('explains an empty history', async () => {
    const unmanaged = (
      await historyOf(
        'entityRef=component:default/sentiment-analysis&environment=dev',
      )
    ).body as DeploymentHistoryResponse;
    expect(unmanaged).toMatchObject({ commits: [], totalCount: 0 });
    expect(unmanaged.message).toMatch(/No manifest of this model in .*\(dev\)/);

    const unreachable = (
      await historyOf(
        'entityRef=component:default/iris-classifier&environment=lost',
      )
    ).body as DeploymentHistoryResponse;
    expect(unreachable.commits).toEqual([]);
    expect(unreachable.message).toMatch(/Cannot fetch.*connection refused/);
  });

  it.each([
    ['environment=dev', /entityRef: entityRef is required/],
    [
      'entityRef=component:default/iris-classifier',
      /environment: environment is required/,
    ],
    [
      'entityRef=component:default/iris-classifier&environment=qa',
      /Invalid environment "qa": expected one of dev, staging, production/,
    ],
    [
      'entityRef=component:default/iris-classifier&environment=dev&limit=0',
      /limit: limit must be at least 1/,
    ],
    [
      'entityRef=component:default/iris-classifier&environment=dev&limit=1000',
      /limit: limit must be at most 100/,
    ],
    [
      'entityRef=component:default/iris-classifier&environment=dev&limit=ten',
      /limit: limit must be a number/,
    ],
    [
      'entityRef=component:default/iris-classifier&environment=dev&offset=-1',
      /offset: offset must be 0 or more/,
    ],
    [
      'entityRef=iris&environment=dev',
      /entityRef: "iris" is not an entity ref/,
    ],
  ])('answers 400 naming the field for history?%s', async (query, message) => {
    const res = await historyOf(query);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(message);
  });

  it('answers 404 for the history of an unknown entity', async () => {
    const res = await historyOf(
      'entityRef=component:default/nope&environment=dev',
    );
    expect(res.status).toBe(404);
  });

  it.each([
    [{ environment: 5 }, /environment: environment must be a string/],
    [{ environment: 'qa' }, /Invalid environment "qa"/],
    [{ cluster: 'demo' }, /unknown field "cluster"/],
  ])('answers 400 for a refresh of %j', async (body, message) => {
    const res = await request(server)
      .post('/api/model-deployments/refresh')
      .send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });

  it('keeps showing the live state when the repository cannot be fetched', async () => {
    const iris = await environmentsOf('iris-classifier');
    expect(iris.lost.error).toBeUndefined();
    expect(iris.lost.git?.error).toMatch(
      /Cannot fetch http:\/\/127\.0\.0\.1:1\/models\.git: connection refused/,
    );
    expect(iris.lost.deployments).toEqual([
      expect.objectContaining({
        name: 'iris-classifier',
        phase: 'Ready',
        sync: {
          state: 'Unknown',
          reason: expect.stringContaining('Cannot fetch'),
        },
      }),
    ]);
  });

  it('reads a repository that comes up after the backend without waiting for the next refresh', async () => {
    const before = await environmentsOf('iris-classifier');
    expect(before.late.git?.error).toMatch(/connection refused/);
    lateGitServer = new DemoGitServer({
      source: `${examples}/gitops`,
      port: latePort,
    });
    await lateGitServer.start();
    // Retries back off from 2 s; the refresh interval is a minute.
    const after = await waitFor(
      () => environmentsOf('iris-classifier'),
      envs => envs.late.git?.commit !== undefined,
      150,
    );
    expect(after.late.git?.error).toBeUndefined();
    expect(after.late.deployments[0].sync).toEqual({ state: 'InSync' });
  }, 30_000);

  // Last: it changes the repository the other tests read.
  it('fetches on demand, so a pushed fix shows at once', async () => {
    const work = path.join(cacheDir, 'work');
    await execFileAsync('git', [
      'clone',
      '-q',
      `${gitServer.url}/models.git`,
      work,
    ]);
    const file = path.join(
      work,
      'dev',
      'SeldonDeployment-iris-classifier.json',
    );
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    // Back to what the cluster runs: the drift is resolved in Git.
    manifest.spec.predictors[0].replicas = 1;
    manifest.spec.predictors[0].graph.modelUri = 'gs://acme-models/iris/v3';
    fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
    const git = gitAsKim(work);
    await git(
      'commit',
      '-qam',
      'Roll iris back to v3\n\nv4 failed the load test.',
    );
    await git('push', '-q', 'origin', 'HEAD:main');
    const { stdout } = await git('rev-parse', 'HEAD');
    const pushed = stdout.trim();

    // The scheduled refresh is a minute away.
    const stale = await environmentsOf('iris-classifier');
    expect(stale.dev.git?.commit).not.toBe(pushed);

    const res = await request(server)
      .post('/api/model-deployments/refresh')
      .send({ environment: 'dev' });
    expect(res.status).toBe(200);
    expect(res.body.environments).toEqual([
      {
        environment: 'dev',
        git: expect.objectContaining({ commit: pushed, path: 'dev' }),
      },
    ]);
    const fresh = await environmentsOf('iris-classifier');
    expect(fresh.dev.deployments[0]).toMatchObject({
      sync: { state: 'InSync' },
      lastCommit: {
        sha: pushed,
        author: { name: 'Kim Lee', email: 'kim@example.com' },
        summary: 'Roll iris back to v3',
      },
    });
    // staging shares the repository; dev's refresh moved it too.
    expect(fresh.staging.git?.commit).toBe(pushed);
    const history = (
      await historyOf(
        'entityRef=component:default/iris-classifier&environment=dev',
      )
    ).body as DeploymentHistoryResponse;
    expect(history.commits.map(c => c.summary)).toEqual([
      'Roll iris back to v3',
      'iris v4 with two replicas',
      'First models in dev',
    ]);
  });

  it('fetches every repository on the scheduler, in each replica', async () => {
    const task = scheduler.scheduleTask.mock.calls
      .map(([t]) => t as SchedulerServiceTaskInvocationDefinition)
      .find(t => t.id === 'model-deployments-gitops-refresh');
    // Local: every replica keeps its own mirrors, so each fetches them.
    expect(task).toMatchObject({
      scope: 'local',
      frequency: { milliseconds: 60_000 },
      initialDelay: { milliseconds: 60_000 },
    });

    const work = path.join(cacheDir, 'work-scheduled');
    await execFileAsync('git', [
      'clone',
      '-q',
      `${gitServer.url}/production-models.git`,
      work,
    ]);
    const file = path.join(work, 'models', 'Model-price-optimizer.yaml');
    fs.appendFileSync(file, '# reviewed\n');
    const git = gitAsKim(work);
    await git('commit', '-qam', 'Note the review');
    await git('push', '-q', 'origin', 'HEAD:main');
    const pushed = (await git('rev-parse', 'HEAD')).stdout.trim();
    expect(
      (await environmentsOf('price-optimizer')).production.git?.commit,
    ).not.toBe(pushed);

    await task!.fn(new AbortController().signal);
    expect(
      (await environmentsOf('price-optimizer')).production.git?.commit,
    ).toBe(pushed);
  });
});
