import {
  EnvironmentDeployments,
  EnvironmentsResponse,
} from '@seed-mlops/plugin-model-deployments-common';
import request from 'supertest';
import {
  BUILD_TIMEOUT_MS,
  RealApiServer,
} from '../__testUtils__/realApiServer';
import {
  createNamespacesWithRbac,
  modelEntity,
  realCluster,
} from '../__testUtils__/realWorld';
import { startModelDeploymentsBackend } from '../__testUtils__/startModelDeploymentsBackend';
import { within } from '../__testUtils__/waitFor';

/*
 * Namespace discovery, environment creation and a whole-cluster environment
 * against a real kube-apiserver (scripts/kube-apiserver.sh), through the
 * real Kubernetes plugin's proxy.
 */

describe('discovery and creation on a real kube-apiserver', () => {
  let apiServer: RealApiServer;
  let backend: Awaited<ReturnType<typeof startModelDeploymentsBackend>>;

  beforeAll(async () => {
    apiServer = await RealApiServer.start();
    await createNamespacesWithRbac(
      apiServer,
      ['dev', 'staging', 'production'],
      ['rbac-environment-creation.yaml'],
    );
    backend = await startModelDeploymentsBackend({
      clusters: [
        realCluster(apiServer),
        // A whole-cluster environment needs cluster-wide list rights.
        realCluster(apiServer, 'real-admin', { token: apiServer.adminToken }),
      ],
      entities: [
        modelEntity('iris', 'group:default/risk-ml'),
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'risk-ml', namespace: 'default' },
          spec: { type: 'team', children: [] },
        },
      ],
      modelDeployments: {
        clusterRequestTimeout: { seconds: 5 },
        discovery: { enabled: true, clusters: ['real'] },
        environments: [
          { name: 'dev', cluster: 'real', namespace: 'dev' },
          { name: 'everything', cluster: 'real-admin' },
        ],
      },
    });
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await backend?.stop();
    await apiServer?.stop();
  }, 60_000);

  const environments = async () =>
    (
      (await request(backend.server).get('/api/model-deployments/environments'))
        .body as EnvironmentsResponse
    ).environments;
  const patchNamespace = (
    name: string,
    labels: Record<string, string | null>,
  ) =>
    apiServer.request(
      'PATCH',
      `/api/v1/namespaces/${name}`,
      { metadata: { labels } },
      'application/merge-patch+json',
    );

  it('finds a labelled namespace, follows its relabelling and lets it go when unlabelled or deleted', async () => {
    await apiServer.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'qa',
        labels: {
          'seldon.restricted': 'false',
          'model-deployments.seed-mlops.io/stage': '15',
        },
      },
    });
    const found = await within(2_000, environments, envs =>
      envs.some(e => e.name === 'qa'),
    );
    expect(found.value.find(e => e.name === 'qa')).toMatchObject({
      cluster: 'real',
      namespace: 'qa',
      stage: 15,
      restricted: false,
      origin: 'discovery',
    });
    expect(found.ms).toBeLessThan(2_000);

    await patchNamespace('qa', {
      'seldon.restricted': 'true',
      'model-deployments.seed-mlops.io/stage': '25',
    });
    const relabelled = await within(2_000, environments, envs =>
      envs.some(e => e.name === 'qa' && e.stage === 25),
    );
    expect(relabelled.value.find(e => e.name === 'qa')).toMatchObject({
      stage: 25,
      restricted: true,
    });

    // Without the label it is no environment.
    await patchNamespace('qa', { 'seldon.restricted': null });
    const gone = await within(2_000, environments, envs =>
      envs.every(e => e.name !== 'qa'),
    );
    expect(gone.value.map(e => e.name)).not.toContain('qa');

    // Labelled again, then deleted: Terminating at once (here for good: this
    // control plane has no namespace controller to finish it), and no
    // environment from then on.
    await patchNamespace('qa', { 'seldon.restricted': 'false' });
    await within(2_000, environments, envs => envs.some(e => e.name === 'qa'));
    const deleted = await apiServer.request('DELETE', '/api/v1/namespaces/qa');
    expect(deleted.status).toBe(200);
    expect(deleted.body.status.phase).toBe('Terminating');
    const terminating = await within(2_000, environments, envs =>
      envs.every(e => e.name !== 'qa'),
    );
    expect(terminating.value.map(e => e.name)).not.toContain('qa');
    expect(terminating.ms).toBeLessThan(2_000);
  });

  it('creates an environment the real API server accepts, refuses it once discovered, and refuses a namespace that is someone else’s', async () => {
    const create = (body: object) =>
      request(backend.server)
        .post('/api/model-deployments/environments')
        .send(body);
    const uat = {
      name: 'uat',
      cluster: 'real',
      stage: 18,
      ownerGroups: ['group:default/risk-ml'],
    };
    const first = await create(uat);
    expect(first.status).toBe(201);
    expect(first.body.status).toBe('created');

    const namespace = await apiServer.request('GET', '/api/v1/namespaces/uat');
    expect(namespace.status).toBe(200);
    expect(namespace.body.metadata.labels).toMatchObject({
      'seldon.restricted': 'false',
      'model-deployments.seed-mlops.io/environment': 'uat',
      'model-deployments.seed-mlops.io/stage': '18',
    });
    const binding = await apiServer.request(
      'GET',
      '/apis/rbac.authorization.k8s.io/v1/namespaces/uat/rolebindings/model-deployments-owners',
    );
    expect(binding.status).toBe(200);
    expect(binding.body.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'edit',
    });
    expect(binding.body.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'risk-ml' },
    ]);

    // Discovery sees it, so a second run finds it registered: refused as
    // taken; with discovery off it would be adopted (environmentCreation.test.ts).
    await within(2_000, environments, envs => envs.some(e => e.name === 'uat'));
    const again = await create(uat);
    expect(again.status).toBe(400);
    expect(again.body.error.message).toMatch(
      /name: environment 'uat' already exists/,
    );

    await apiServer.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'taken', labels: { team: 'someone-else' } },
    });
    const refused = await create({ ...uat, name: 'taken' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(
      /^namespace: 'taken' already exists on cluster 'real' with other labels/,
    );
    const untouched = await apiServer.request(
      'GET',
      '/api/v1/namespaces/taken',
    );
    expect(untouched.body.metadata.labels).toEqual({
      team: 'someone-else',
      'kubernetes.io/metadata.name': 'taken',
    });
  });

  it('keeps objects of the same name in two namespaces apart in a whole-cluster environment', async () => {
    for (const namespace of ['dev', 'production']) {
      await apiServer.create({
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: { name: 'iris', namespace },
        spec: {
          predictor: {
            model: {
              modelFormat: { name: 'sklearn' },
              storageUri: `gs://models/iris/${namespace}`,
            },
          },
        },
      });
    }
    const { value } = await within(
      2_000,
      async () => {
        const res = await request(backend.server)
          .get('/api/model-deployments/deployments')
          .query({ entityRef: 'component:default/iris' });
        return (res.body.environments as EnvironmentDeployments[]).find(
          e => e.environment.name === 'everything',
        )!;
      },
      env => env.deployments.length === 2,
    );
    expect(value.error).toBeUndefined();
    expect(
      value.deployments.map(d => [d.namespace, d.versions[0]?.modelUri]).sort(),
    ).toEqual([
      ['dev', 'gs://models/iris/dev'],
      ['production', 'gs://models/iris/production'],
    ]);
  });
});
