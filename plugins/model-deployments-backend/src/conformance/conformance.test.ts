import {
  EntityDeploymentsResponse,
  EnvironmentDeployments,
} from '@seed-mlops/plugin-model-deployments-common';
import fs from 'fs';
import net from 'net';
import path from 'path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { startModelDeploymentsBackend } from '../__testUtils__/startModelDeploymentsBackend';
import { within } from '../__testUtils__/waitFor';
import {
  BUILD_TIMEOUT_MS,
  RealApiServer,
  SHARED_CRDS,
} from '../__testUtils__/realApiServer';
import {
  createNamespacesWithRbac,
  modelEntity,
  realCluster,
  seldonDeploymentManifest,
} from '../__testUtils__/realWorld';

/*
 * The plugin against a real kube-apiserver 1.37 with the published CRDs,
 * through the real Kubernetes plugin's proxy: what the API answers and what
 * the page would show. scripts/kube-apiserver.sh provides the control plane.
 */

/**
 * A loopback TCP proxy to the API server that holds every new connection for
 * `delayMs` before passing bytes on: a cluster far away, or overloaded.
 */
async function delayingProxy(target: URL, delayMs: number) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer(client => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.pause();
    const timer = setTimeout(() => {
      const upstream = net.connect(Number(target.port), target.hostname);
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      client.pipe(upstream).pipe(client);
      client.resume();
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    }, delayMs);
    client.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    async stop() {
      sockets.forEach(socket => socket.destroy());
      await new Promise(resolve => server.close(resolve));
    },
  };
}

describe('conformance with a real kube-apiserver', () => {
  let apiServer: RealApiServer;
  let slowProxy: Awaited<ReturnType<typeof delayingProxy>>;
  let backend: Awaited<ReturnType<typeof startModelDeploymentsBackend>>;

  beforeAll(async () => {
    apiServer = await RealApiServer.start();
    // The least-privilege RBAC of the README: every namespace but `locked`.
    await createNamespacesWithRbac(apiServer, [
      'dev',
      'staging',
      'production',
      'locked',
    ]);
    // Every answer takes longer than clusterRequestTimeout (3 s).
    slowProxy = await delayingProxy(new URL(apiServer.url), 4_000);
    backend = await startModelDeploymentsBackend({
      clusters: [
        realCluster(apiServer),
        realCluster(apiServer, 'real-bad-token', { token: 'not-a-token' }),
        realCluster(apiServer, 'real-slow', { url: slowProxy.url }),
      ],
      entities: [modelEntity('iris'), modelEntity('mixed')],
      modelDeployments: {
        clusterRequestTimeout: { seconds: 3 },
        environments: [
          { name: 'dev', cluster: 'real', namespace: 'dev' },
          { name: 'staging', cluster: 'real', namespace: 'staging' },
          { name: 'locked', cluster: 'real', namespace: 'locked' },
          { name: 'badtoken', cluster: 'real-bad-token', namespace: 'dev' },
          { name: 'slow', cluster: 'real-slow', namespace: 'production' },
        ],
      },
    });
    // A first page view waits (at most the request timeout) for each
    // environment's first list; the timings below are of changes after that.
    await request(backend.server)
      .get('/api/model-deployments/deployments')
      .query({ entityRef: 'component:default/iris' });
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await backend?.stop();
    await slowProxy?.stop();
    await apiServer?.stop();
  }, 60_000);

  const environments = async (entityRef: string) => {
    const res = await request(backend.server)
      .get('/api/model-deployments/deployments')
      .query({ entityRef });
    expect(res.status).toBe(200);
    const body = res.body as EntityDeploymentsResponse;
    return Object.fromEntries(
      body.environments.map(e => [e.environment.name, e]),
    ) as Record<string, EnvironmentDeployments>;
  };
  const irisIn = async (env: string) =>
    (await environments('component:default/iris'))[env].deployments.find(
      d => d.name === 'iris',
    );

  it('shows a create, a spec change, a status change and a delete within 2 s each', async () => {
    await apiServer.create(
      seldonDeploymentManifest('iris', 'dev', { replicas: 2 }),
    );
    const created = await within(2_000, () => irisIn('dev'), Boolean);
    expect(created.value).toMatchObject({
      kind: 'SeldonDeployment',
      phase: 'Unknown',
      desiredReplicas: 2,
    });
    expect(created.ms).toBeLessThan(2_000);

    const patch = (subresource: string, body: unknown) =>
      apiServer.request(
        'PATCH',
        `/apis/machinelearning.seldon.io/v1/namespaces/dev/seldondeployments/iris${subresource}`,
        body,
        'application/merge-patch+json',
      );
    // Status through the /status subresource, as the operator writes it.
    expect(
      (
        await patch('/status', {
          status: {
            state: 'Available',
            deploymentStatus: {
              'iris-default-0-classifier': {
                replicas: 2,
                availableReplicas: 2,
              },
            },
          },
        })
      ).status,
    ).toBe(200);
    const ready = await within(
      2_000,
      () => irisIn('dev'),
      d => d?.phase === 'Ready',
    );
    expect(ready.value).toMatchObject({
      phase: 'Ready',
      desiredReplicas: 2,
      availableReplicas: 2,
    });
    expect(ready.ms).toBeLessThan(2_000);

    expect(
      (
        await patch('', {
          spec: seldonDeploymentManifest('iris', 'dev', {
            modelUri: 'gs://models/iris/v2',
            replicas: 2,
          }).spec,
        })
      ).status,
    ).toBe(200);
    const changed = await within(
      2_000,
      () => irisIn('dev'),
      d => d?.versions[0]?.modelUri === 'gs://models/iris/v2',
    );
    expect(changed.value?.versions[0]?.modelUri).toBe('gs://models/iris/v2');
    expect(changed.ms).toBeLessThan(2_000);

    expect(
      (
        await apiServer.request(
          'DELETE',
          '/apis/machinelearning.seldon.io/v1/namespaces/dev/seldondeployments/iris',
        )
      ).status,
    ).toBe(200);
    const deleted = await within(
      2_000,
      () => irisIn('dev'),
      d => !d,
    );
    expect(deleted.value).toBeUndefined();
    expect(deleted.ms).toBeLessThan(2_000);
  });

  it('lists every watched kind, each as the CRD accepts it', async () => {
    const docs = [
      seldonDeploymentManifest('mixed', 'staging', { replicas: 2 }),
      {
        apiVersion: 'mlops.seldon.io/v1alpha1',
        kind: 'Model',
        metadata: { name: 'mixed', namespace: 'staging' },
        spec: { storageUri: 'gs://models/mixed/v1', requirements: ['sklearn'] },
      },
      {
        apiVersion: 'mlops.seldon.io/v1alpha1',
        kind: 'Server',
        metadata: { name: 'mixed', namespace: 'staging' },
        spec: { serverConfig: 'mlserver' },
      },
      {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: { name: 'mixed', namespace: 'staging' },
        spec: {
          predictor: {
            model: {
              modelFormat: { name: 'sklearn' },
              storageUri: 'gs://models/mixed/v1',
            },
          },
        },
      },
    ];
    for (const doc of docs) await apiServer.create(doc);
    const { value } = await within(
      2_000,
      async () => (await environments('component:default/mixed')).staging,
      env => env.deployments.length === 4,
    );
    expect(value.error).toBeUndefined();
    expect(value.warnings ?? []).toEqual([]);
    expect(value.deployments.map(d => d.kind).sort()).toEqual([
      'InferenceService',
      'Model',
      'SeldonDeployment',
      'Server',
    ]);
  });

  it('says FORBIDDEN, naming what to grant, for a namespace the identity may not list; UNAUTHORIZED for a bad token; the others answer', async () => {
    const envs = await environments('component:default/iris');
    expect(envs.dev.error).toBeUndefined();
    expect(envs.locked.error).toMatchObject({ type: 'FORBIDDEN' });
    expect(envs.locked.error?.message).toMatch(
      /cannot list resource "seldondeployments" in API group "machinelearning.seldon.io" in the namespace "locked"/,
    );
    expect(envs.badtoken.error).toMatchObject({ type: 'UNAUTHORIZED' });
  });

  it('says TIMEOUT for a cluster slower than the request timeout, while the others answer at once', async () => {
    const started = Date.now();
    const envs = await environments('component:default/iris');
    // The page waits at most the request timeout for an environment.
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(envs.slow.error).toMatchObject({ type: 'TIMEOUT' });
    expect(envs.slow.error?.message).toMatch(
      /Cluster 'real-slow' did not answer within 3000 ms/,
    );
    expect(envs.dev.error).toBeUndefined();
    expect(envs.staging.error).toBeUndefined();
  });

  it('says which CRD is missing when one is deleted while watched, for that kind only, and picks it up again when it is back', async () => {
    const crdFile = path.join(SHARED_CRDS, 'mlops.seldon.io_experiments.yaml');
    const crd = parseAllDocuments(fs.readFileSync(crdFile, 'utf8'))
      .map(d => d.toJS())
      .find(d => d?.kind === 'CustomResourceDefinition');
    const crdPath = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`;
    expect((await apiServer.request('DELETE', crdPath)).status).toBe(200);

    const missing = await within(
      15_000,
      async () => (await environments('component:default/iris')).dev,
      env => (env.warnings ?? []).some(w => w.type === 'RESOURCE_TYPE_MISSING'),
    );
    expect(missing.value.error).toBeUndefined();
    expect(missing.value.warnings).toEqual([
      expect.objectContaining({
        type: 'RESOURCE_TYPE_MISSING',
        resourceKind: 'mlops.seldon.io/v1alpha1 Experiment',
        message: expect.stringContaining(
          'CustomResourceDefinition experiments.mlops.seldon.io is not installed',
        ),
      }),
    ]);

    // Created again: the kind comes back without a restart.
    const recreated = await apiServer.request(
      'POST',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      { ...crd, metadata: { name: crd.metadata.name } },
    );
    expect(recreated.status).toBe(201);
    const back = await within(
      35_000,
      async () => (await environments('component:default/iris')).dev,
      env => (env.warnings ?? []).length === 0,
    );
    expect(back.value.warnings ?? []).toEqual([]);
  }, 60_000);

  // Last: it takes the control plane away.
  it('says UNREACHABLE within 10 s when the API server stops, keeps the last data dated, and recovers by itself', async () => {
    await apiServer.create(
      seldonDeploymentManifest('iris', 'staging', {
        modelUri: 'gs://models/iris/v3',
        replicas: 2,
      }),
    );
    await within(2_000, () => irisIn('staging'), Boolean);

    await apiServer.stopApiServer();
    const stoppedAt = Date.now();
    const down = await within(
      10_000,
      async () => (await environments('component:default/iris')).staging,
      env => env.error?.type === 'UNREACHABLE',
    );
    expect(down.value.error).toMatchObject({ type: 'UNREACHABLE' });
    expect(down.ms).toBeLessThan(10_000);
    // The last known deployment stays, dated when the cluster last confirmed it.
    expect(down.value.deployments.map(d => d.name)).toEqual(['iris']);
    expect(Date.parse(down.value.syncedAt!)).toBeLessThanOrEqual(stoppedAt);

    await apiServer.startApiServer();
    const up = await within(
      35_000,
      async () => (await environments('component:default/iris')).staging,
      env => !env.error && (env.warnings ?? []).length === 0,
    );
    expect(up.value.error).toBeUndefined();
    expect(up.value.warnings ?? []).toEqual([]);
    expect(up.value.deployments.map(d => d.name)).toEqual(['iris']);
    expect(Date.parse(up.value.syncedAt!)).toBeGreaterThan(stoppedAt);
  }, 90_000);
});
