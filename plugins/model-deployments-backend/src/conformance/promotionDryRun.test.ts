import { DemoGitServer } from '@seed-mlops/demo-cluster';
import { PromotionResult } from '@seed-mlops/plugin-model-deployments-common';
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { promisify } from 'util';
import { startModelDeploymentsBackend } from '../__testUtils__/startModelDeploymentsBackend';
import { within } from '../__testUtils__/waitFor';
import {
  BUILD_TIMEOUT_MS,
  RealApiServer,
} from '../__testUtils__/realApiServer';
import {
  createNamespacesWithRbac,
  modelEntity,
  realCluster,
  seldonDeploymentManifest,
} from '../__testUtils__/realWorld';

/*
 * A promotion asks the target's real kube-apiserver (published CRDs, RBAC)
 * with a server-side dry run whether it would accept the manifests, before
 * anything is committed to Git.
 */

const execFileAsync = promisify(execFile);
async function remoteHead(url: string) {
  const { stdout } = await execFileAsync('git', [
    'ls-remote',
    url,
    'refs/heads/main',
  ]);
  return stdout.split(/\s/)[0] ?? '';
}

describe('promotions checked by a real kube-apiserver', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'promotion-dry-run-'));
  let apiServer: RealApiServer;
  let gitServer: DemoGitServer;
  let backend: Awaited<ReturnType<typeof startModelDeploymentsBackend>>;
  let repoUrl: string;

  beforeAll(async () => {
    apiServer = await RealApiServer.start();
    // Dry runs of writes are granted in production only.
    await createNamespacesWithRbac(
      apiServer,
      ['dev', 'staging', 'production'],
      ['rbac-promotion-check.yaml'],
    );
    // Running and Ready: `iris` in dev and staging; `bad` and `incomplete`
    // in staging, whose manifests in Git were changed to something the CRD
    // refuses.
    for (const [name, namespace] of [
      ['iris', 'dev'],
      ['iris', 'staging'],
      ['bad', 'staging'],
      ['incomplete', 'staging'],
    ]) {
      await apiServer.create(
        seldonDeploymentManifest(name, namespace, { replicas: 2 }),
      );
      const status = await apiServer.request(
        'PATCH',
        `/apis/machinelearning.seldon.io/v1/namespaces/${namespace}/seldondeployments/${name}/status`,
        { status: { state: 'Available' } },
        'application/merge-patch+json',
      );
      if (status.status !== 200) {
        throw new Error(`Setting the status of ${name}: ${status.status}`);
      }
    }
    const source = path.join(tmp, 'source');
    const write = (file: string, object: unknown) => {
      fs.mkdirSync(path.dirname(path.join(source, file)), { recursive: true });
      fs.writeFileSync(
        path.join(source, file),
        JSON.stringify(object, null, 2),
      );
    };
    write(
      'models/staging/SeldonDeployment-iris.json',
      seldonDeploymentManifest('iris', undefined, { replicas: 2 }),
    );
    write(
      'models/staging/SeldonDeployment-bad.json',
      seldonDeploymentManifest('bad', undefined, { replicas: 'two' }),
    );
    const { graph: _graph, ...withoutGraph } = seldonDeploymentManifest(
      'incomplete',
      undefined,
      { replicas: 1 },
    ).spec.predictors[0];
    write('models/staging/SeldonDeployment-incomplete.json', {
      ...seldonDeploymentManifest('incomplete', undefined, { replicas: 1 }),
      spec: { predictors: [withoutGraph] },
    });
    // Git keeps no empty folders.
    fs.mkdirSync(path.join(source, 'models/production'), { recursive: true });
    fs.writeFileSync(path.join(source, 'models/production/.gitkeep'), '');
    write(
      'models/dev/SeldonDeployment-iris.json',
      seldonDeploymentManifest('iris', undefined, { replicas: 2 }),
    );
    gitServer = new DemoGitServer({ source, dataDir: path.join(tmp, 'git') });
    await gitServer.start();
    repoUrl = `${gitServer.url}/models.git`;
    const env = (name: string) => ({
      name,
      cluster: 'real',
      namespace: name,
      gitops: { repoUrl, branch: 'main', promotionStrategy: 'commit' },
    });
    backend = await startModelDeploymentsBackend({
      clusters: [realCluster(apiServer)],
      entities: [
        modelEntity('iris'),
        modelEntity('bad'),
        modelEntity('incomplete'),
      ],
      modelDeployments: {
        clusterRequestTimeout: { seconds: 5 },
        gitops: { cacheDir: path.join(tmp, 'cache') },
        environments: [env('dev'), env('staging'), env('production')],
      },
    });
    await within(
      10_000,
      async () =>
        (
          await request(backend.server)
            .get('/api/model-deployments/deployments')
            .query({ entityRef: 'component:default/iris' })
        ).body,
      body =>
        body.environments?.find((e: any) => e.environment.name === 'staging')
          ?.deployments.length === 1,
    );
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await backend?.stop();
    await gitServer?.stop();
    await apiServer?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  const promote = (body: object) =>
    request(backend.server)
      .post('/api/model-deployments/promotions')
      .send(body);

  it('commits a manifest the target cluster accepts, and says the cluster checked it', async () => {
    const preview = await promote({
      entityRef: 'component:default/iris',
      to: 'production',
      dryRun: true,
    });
    expect(preview.status).toBe(200);
    expect((preview.body as PromotionResult).clusterCheck).toEqual({
      state: 'accepted',
      message:
        "The API server of cluster 'real' accepts the manifest (server-side dry run)",
    });

    const res = await promote({
      entityRef: 'component:default/iris',
      to: 'production',
    });
    expect(res.status).toBe(201);
    const result = res.body as PromotionResult;
    expect(result.status).toBe('committed');
    expect(result.clusterCheck?.state).toBe('accepted');
    expect(await remoteHead(repoUrl)).toBe(result.commit?.sha);
    // A dry run stores nothing in the cluster.
    const stored = await apiServer.request(
      'GET',
      '/apis/machinelearning.seldon.io/v1/namespaces/production/seldondeployments/iris',
    );
    expect(stored.status).toBe(404);
  });

  it.each([
    [
      'a value of the wrong type (replicas as a word)',
      'bad',
      // Server-side apply types the object first, and answers 500 for this.
      /SeldonDeployment bad: .*\.spec\.predictors\[0\]\.replicas: expected numeric \(int or float\), got string/,
    ],
    [
      "a required field missing (the predictor's graph)",
      'incomplete',
      /SeldonDeployment incomplete: .*spec\.predictors\[0\]\.graph: Required value/,
    ],
  ])(
    "refuses, with the API server's words and nothing written or recorded, a manifest the CRD rejects: %s",
    async (_case, name, reason) => {
      const before = await remoteHead(repoUrl);
      const res = await promote({
        entityRef: `component:default/${name}`,
        to: 'production',
        // Git is ahead of the cluster in staging; promote it all the same.
        force: true,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(
        /^Cluster 'real' of environment 'production' would reject the promoted manifests, so nothing was written\. /,
      );
      expect(res.body.error.message).toMatch(reason);
      expect(await remoteHead(repoUrl)).toBe(before);
      const history = await request(backend.server)
        .get('/api/model-deployments/promotions')
        .query({ entityRef: `component:default/${name}` });
      expect(history.status).toBe(200);
      expect(history.body.promotions).toEqual([]);
    },
  );

  it('promotes without the check, and says why, where the identity may not dry-run writes', async () => {
    // rbac-promotion-check.yaml is bound in production, not in staging.
    const res = await promote({
      entityRef: 'component:default/iris',
      from: 'dev',
      to: 'staging',
      dryRun: true,
    });
    expect(res.status).toBe(200);
    expect((res.body as PromotionResult).clusterCheck).toEqual({
      state: 'skipped',
      message:
        "Not checked against cluster 'real': the plugin's identity may not dry-run writes of seldondeployments in namespace 'staging' (grant create and patch, as examples/kubernetes/rbac-promotion-check.yaml does)",
    });
  });
});
