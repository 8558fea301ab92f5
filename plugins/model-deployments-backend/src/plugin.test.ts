import { createBackendModule } from '@backstage/backend-plugin-api';
import { modelDeploymentsResourceKindsExtensionPoint } from '@seed-mlops/plugin-model-deployments-node';
import { Entity } from '@backstage/catalog-model';
import { mockCredentials } from '@backstage/backend-test-utils';
import { DemoClusterServer } from '@seed-mlops/demo-cluster';
import {
  EntityDeploymentsResponse,
  EnvironmentsResponse,
  FleetResponse,
} from '@seed-mlops/plugin-model-deployments-common';
import request from 'supertest';
import { startModelDeploymentsBackend } from './__testUtils__/startModelDeploymentsBackend';
import { waitFor } from './__testUtils__/waitFor';
import {
  inferenceService,
  namespace,
  seldonDeployment,
} from './__fixtures__/manifests';

const TOKEN = 'demo-cluster-token';
const TIMEOUT_MS = 1_000;

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'iris',
      namespace: 'default',
      annotations: { 'model-deployments/name': 'iris' },
    },
    spec: { type: 'model', owner: 'team-a', lifecycle: 'production' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'sentiment',
      namespace: 'default',
      annotations: { 'model-deployments/selector': 'app=sentiment' },
    },
    spec: { type: 'model', owner: 'team-a', lifecycle: 'production' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'fraud', namespace: 'default' },
    spec: { type: 'model', owner: 'team-b', lifecycle: 'production' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'broken-selector',
      namespace: 'default',
      annotations: { 'model-deployments/selector': 'app in (x' },
    },
    spec: { type: 'model', owner: 'team-b', lifecycle: 'production' },
  },
];

describe('model-deployments backend', () => {
  const healthy = new DemoClusterServer({
    token: TOKEN,
    forbiddenNamespaces: ['secret'],
  });
  const slow = new DemoClusterServer({
    token: TOKEN,
    latencyMs: 3 * TIMEOUT_MS,
  });
  const noCrds = new DemoClusterServer({ token: TOKEN, resourceTypes: [] });
  const wrongToken = new DemoClusterServer({ token: 'another-token' });
  const flaky = new DemoClusterServer({ token: TOKEN });
  const servers = [healthy, slow, noCrds, wrongToken, flaky];

  let server: Awaited<
    ReturnType<typeof startModelDeploymentsBackend>
  >['server'];
  let stopBackend: () => Promise<void>;

  const getDeployments = (entityRef: string) =>
    request(server).get(
      `/api/model-deployments/deployments?entityRef=${encodeURIComponent(
        entityRef,
      )}`,
    );

  beforeAll(async () => {
    healthy.apply([
      namespace('dev'),
      namespace('staging'),
      namespace('production'),
      seldonDeployment('iris', 'dev', 'Available', 'gs://models/iris/v2'),
      seldonDeployment('iris', 'staging', 'Failed', 'gs://models/iris/v2'),
      seldonDeployment(
        'iris',
        'production',
        'Available',
        'gs://models/iris/v1',
      ),
      inferenceService('sentiment-v3', 'dev', { app: 'sentiment' }),
      seldonDeployment(
        'fraud-scorer',
        'dev',
        'Creating',
        'gs://models/fraud/v5',
        { 'backstage.io/kubernetes-id': 'fraud' },
      ),
    ]);
    flaky.apply([
      namespace('dev'),
      seldonDeployment('iris', 'dev', 'Available', 'gs://models/iris/v2'),
    ]);
    await Promise.all(servers.map(s => s.start()));
    const backend = await startModelDeploymentsBackend({
      clusters: [
        { name: 'demo', url: healthy.url, token: TOKEN },
        { name: 'slow', url: slow.url, token: TOKEN },
        { name: 'no-crds', url: noCrds.url, token: TOKEN },
        { name: 'wrong-token', url: wrongToken.url, token: TOKEN },
        { name: 'flaky', url: flaky.url, token: TOKEN },
        // Port 1 on loopback: nothing listens there.
        { name: 'down', url: 'http://127.0.0.1:1', token: TOKEN },
      ],
      entities: entities,
      modelDeployments: {
        clusterRequestTimeout: { milliseconds: TIMEOUT_MS },
        environments: [
          { name: 'dev', cluster: 'demo', namespace: 'dev' },
          {
            name: 'staging',
            cluster: 'demo',
            namespace: 'staging',
            title: 'Staging',
          },
          {
            name: 'production',
            cluster: 'demo',
            namespace: 'production',
            restricted: true,
          },
          { name: 'restricted', cluster: 'demo', namespace: 'secret' },
          { name: 'slow', cluster: 'slow', namespace: 'dev' },
          { name: 'bare', cluster: 'no-crds', namespace: 'dev' },
          {
            name: 'unauthorized',
            cluster: 'wrong-token',
            namespace: 'dev',
          },
          { name: 'unreachable', cluster: 'down', namespace: 'dev' },
          { name: 'flaky', cluster: 'flaky', namespace: 'dev' },
        ],
      },
    });
    server = backend.server;
    stopBackend = () => backend.stop();
    // Jest loads the ESM-only Kubernetes client slowly on first use, which can
    // outlast the 1 s cluster timeout; let the caches fill once before testing.
    await waitFor(
      () => getDeployments('component:default/iris'),
      res =>
        (res.body as EntityDeploymentsResponse).environments?.[0]?.syncedAt !==
        undefined,
    );
  }, 30_000);

  afterAll(async () => {
    await stopBackend?.();
    await Promise.all(servers.map(s => s.stop()));
  });

  it('serves /health without credentials', async () => {
    const res = await request(server)
      .get('/api/model-deployments/health')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('lists environments in stage order', async () => {
    const res = await request(server)
      .get('/api/model-deployments/environments')
      .expect(200);
    const body = res.body as EnvironmentsResponse;
    expect(body.environments.map(e => e.name)).toEqual([
      'dev',
      'staging',
      'production',
      'restricted',
      'slow',
      'bare',
      'unauthorized',
      'unreachable',
      'flaky',
    ]);
    expect(body.environments[1]).toEqual({
      name: 'staging',
      title: 'Staging',
      stage: 20,
      cluster: 'demo',
      namespace: 'staging',
      restricted: false,
      origin: 'config',
    });
    expect(JSON.stringify(body)).not.toContain(TOKEN);
  });

  it('returns every environment with its deployments or its typed error', async () => {
    const started = Date.now();
    const res = await getDeployments('component:default/iris').expect(200);
    const body = res.body as EntityDeploymentsResponse;
    expect(body.entityRef).toBe('component:default/iris');
    const byName = Object.fromEntries(
      body.environments.map(e => [e.environment.name, e]),
    );

    expect(byName.dev.error).toBeUndefined();
    expect(byName.dev.deployments).toEqual([
      expect.objectContaining({
        environment: 'dev',
        kind: 'SeldonDeployment',
        name: 'iris',
        namespace: 'dev',
        phase: 'Ready',
        versions: [
          {
            component: 'default/classifier',
            modelUri: 'gs://models/iris/v2',
            runtime: 'SKLEARN_SERVER',
          },
        ],
        traffic: [{ name: 'default', percent: 100, role: 'main' }],
      }),
    ]);
    expect(byName.dev.syncedAt).toEqual(expect.any(String));
    expect(byName.staging.deployments).toEqual([
      expect.objectContaining({ phase: 'Failed' }),
    ]);
    expect(byName.production.deployments).toEqual([
      expect.objectContaining({
        phase: 'Ready',
        versions: [
          expect.objectContaining({ modelUri: 'gs://models/iris/v1' }),
        ],
      }),
    ]);

    expect(byName.restricted.error).toMatchObject({
      type: 'FORBIDDEN',
      statusCode: 403,
    });
    expect(byName.restricted.error?.message).toContain('cannot list resource');
    expect(byName.slow.error).toMatchObject({ type: 'TIMEOUT' });
    expect(byName.bare.error).toMatchObject({ type: 'RESOURCE_TYPE_MISSING' });
    expect(byName.bare.error?.message).toContain(
      'serving.kserve.io/v1beta1 InferenceService',
    );
    expect(byName.unauthorized.error).toMatchObject({
      type: 'UNAUTHORIZED',
      statusCode: 401,
    });
    expect(byName.unreachable.error).toMatchObject({ type: 'UNREACHABLE' });
    expect(byName.unreachable.error?.message).toContain('ECONNREFUSED');
    for (const failing of [
      'restricted',
      'slow',
      'bare',
      'unauthorized',
      'unreachable',
    ]) {
      expect(byName[failing].deployments).toEqual([]);
    }
    // The slow cluster costs at most about one timeout, not one per kind.
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS * 4);
    expect(JSON.stringify(body)).not.toContain(TOKEN);
  });

  it('matches by label selector and by the kubernetes-id label', async () => {
    const sentiment = (
      await getDeployments('component:default/sentiment').expect(200)
    ).body as EntityDeploymentsResponse;
    expect(
      sentiment.environments.find(e => e.environment.name === 'dev')!
        .deployments,
    ).toEqual([
      expect.objectContaining({
        kind: 'InferenceService',
        name: 'sentiment-v3',
        phase: 'Ready',
      }),
    ]);
    const fraud = (await getDeployments('component:default/fraud').expect(200))
      .body as EntityDeploymentsResponse;
    expect(
      fraud.environments.find(e => e.environment.name === 'dev')!.deployments,
    ).toEqual([
      expect.objectContaining({ name: 'fraud-scorer', phase: 'Progressing' }),
    ]);
    expect(
      fraud.environments.find(e => e.environment.name === 'production')!
        .deployments,
    ).toEqual([]);
  });

  it('serves changes from the watch without a new request to the cluster', async () => {
    const before = { ...healthy.requestCounts };
    healthy.apply([
      seldonDeployment('iris', 'staging', 'Available', 'gs://models/iris/v2'),
    ]);
    const stagingPhase = async () => {
      const body = (await getDeployments('component:default/iris'))
        .body as EntityDeploymentsResponse;
      return body.environments.find(e => e.environment.name === 'staging')!
        .deployments[0]?.phase;
    };
    await expect(
      waitFor(stagingPhase, phase => phase === 'Ready'),
    ).resolves.toBe('Ready');
    // The change came over an open watch: no relist, no new watch.
    expect(healthy.requestCounts).toEqual(before);
  });

  it('answers an unchanged view with 304, a changed one with 200', async () => {
    const first = await getDeployments('component:default/fraud');
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const etag = first.headers.etag;
    expect(etag).toMatch(/^W\/"[\w-]+"$/);
    // Later, so `syncedAt` of the healthy environments reads differently.
    await new Promise(resolve => setTimeout(resolve, 20));
    const again = await getDeployments('component:default/fraud').set(
      'If-None-Match',
      etag,
    );
    expect(again.status).toBe(304);
    expect(again.text).toBe('');

    // A new model URI for the same object; its phase stays as it was.
    healthy.apply([
      seldonDeployment(
        'fraud-scorer',
        'dev',
        'Creating',
        'gs://models/fraud/v6',
        {
          'backstage.io/kubernetes-id': 'fraud',
        },
      ),
    ]);
    await expect(
      waitFor(
        async () =>
          (
            await getDeployments('component:default/fraud').set(
              'If-None-Match',
              etag,
            )
          ).status,
        status => status === 200,
      ),
    ).resolves.toBe(200);
  });

  it('relists when a resumed watch answers 410 Gone', async () => {
    const before = { ...healthy.requestCounts };
    // The watches end as at their timeout; a change lands and the history
    // is compacted before they resume, so resuming gets 410 Gone.
    healthy.endWatches();
    healthy.apply([
      seldonDeployment(
        'iris',
        'production',
        'Available',
        'gs://models/iris/v3',
      ),
    ]);
    healthy.store.compact();
    const productionModel = async () => {
      const body = (await getDeployments('component:default/iris'))
        .body as EntityDeploymentsResponse;
      return body.environments.find(e => e.environment.name === 'production')!
        .deployments[0]?.versions[0]?.modelUri;
    };
    await expect(
      waitFor(productionModel, uri => uri === 'gs://models/iris/v3'),
    ).resolves.toBe('gs://models/iris/v3');
    // The informers resumed, were told 410 Gone and listed again.
    expect(healthy.requestCounts.gone).toBeGreaterThan(before.gone);
    expect(healthy.requestCounts.list).toBeGreaterThan(before.list);
  });

  it('keeps the last known deployments when a cluster goes away', async () => {
    const flakyEnvironment = async () =>
      (
        (await getDeployments('component:default/iris'))
          .body as EntityDeploymentsResponse
      ).environments.find(e => e.environment.name === 'flaky')!;
    const before = await flakyEnvironment();
    expect(before.error).toBeUndefined();
    expect(before.deployments).toEqual([
      expect.objectContaining({ name: 'iris', phase: 'Ready' }),
    ]);

    const stoppedAt = Date.now();
    await flaky.stop();
    const after = await waitFor(flakyEnvironment, e => e.error !== undefined);
    expect(after.error).toMatchObject({ type: 'UNREACHABLE' });
    expect(after.deployments).toEqual(before.deployments);
    // The data is dated to when the cluster last confirmed it.
    expect(Date.parse(after.syncedAt!)).toBeLessThanOrEqual(stoppedAt);
    // The others are unaffected.
    const dev = (await getDeployments('component:default/iris')).body
      .environments[0];
    expect(dev).toMatchObject({ environment: { name: 'dev' }, warnings: [] });
    expect(dev.error).toBeUndefined();
  });

  it('lists every model of the catalog in every environment on /fleet', async () => {
    const res = await request(server).get('/api/model-deployments/fleet');
    expect(res.status).toBe(200);
    const body = res.body as FleetResponse;
    expect(body.environments.map(e => e.environment.name)).toEqual([
      'dev',
      'staging',
      'production',
      'restricted',
      'slow',
      'bare',
      'unauthorized',
      'unreachable',
      'flaky',
    ]);
    expect(body.environments[0]).toEqual(
      expect.objectContaining({ warnings: [], syncedAt: expect.any(String) }),
    );
    expect(body.environments[0]).not.toHaveProperty('deployments');
    expect(
      body.environments.find(e => e.environment.name === 'restricted')!.error,
    ).toMatchObject({ type: 'FORBIDDEN' });
    expect(body.models.map(m => m.entityRef)).toEqual([
      'component:default/broken-selector',
      'component:default/fraud',
      'component:default/iris',
      'component:default/sentiment',
    ]);
    const byRef = Object.fromEntries(body.models.map(m => [m.entityRef, m]));
    expect(byRef['component:default/iris']).toMatchObject({
      title: 'iris',
      owner: 'group:default/team-a',
      lifecycle: 'production',
    });
    expect(
      byRef['component:default/iris'].deployments.map(
        d => `${d.environment}/${d.name}`,
      ),
    ).toEqual(
      expect.arrayContaining(['dev/iris', 'staging/iris', 'production/iris']),
    );
    expect(byRef['component:default/fraud'].deployments).toEqual([
      expect.objectContaining({ environment: 'dev', name: 'fraud-scorer' }),
    ]);
    expect(byRef['component:default/broken-selector']).toMatchObject({
      deployments: [],
      problem: expect.stringContaining('model-deployments/selector'),
    });
    const anonymous = await request(server)
      .get('/api/model-deployments/fleet')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });

  it("says on /fleet what the entity view says, with only the fleet page's fields", async () => {
    const fleet = (await request(server).get('/api/model-deployments/fleet'))
      .body as FleetResponse;
    const entity = (await getDeployments('component:default/iris'))
      .body as EntityDeploymentsResponse;
    const iris = fleet.models.find(
      m => m.entityRef === 'component:default/iris',
    )!;
    const dev = entity.environments.find(e => e.environment.name === 'dev')!
      .deployments[0];
    const fleetDev = iris.deployments.find(d => d.environment === 'dev')!;
    expect(fleetDev).toEqual({
      environment: 'dev',
      kind: dev.kind,
      name: dev.name,
      phase: dev.phase,
      versions: dev.versions,
      ...(dev.message ? { message: dev.message } : {}),
      ...(dev.desiredReplicas !== undefined
        ? { desiredReplicas: dev.desiredReplicas }
        : {}),
      ...(dev.availableReplicas !== undefined
        ? { availableReplicas: dev.availableReplicas }
        : {}),
    });
    // Labels, conditions, endpoint and traffic are the entity page's.
    expect(dev).toHaveProperty('labels');
    expect(dev).toHaveProperty('conditions');
  });

  it('rejects unauthenticated requests', async () => {
    const deployments = await getDeployments('component:default/iris').set(
      'Authorization',
      mockCredentials.none.header(),
    );
    expect(deployments.status).toBe(401);
    expect(deployments.body.error.name).toBe('AuthenticationError');
    const environments = await request(server)
      .get('/api/model-deployments/environments')
      .set('Authorization', mockCredentials.none.header());
    expect(environments.status).toBe(401);
  });

  it('accepts service principals', async () => {
    const res = await getDeployments('component:default/iris').set(
      'Authorization',
      mockCredentials.service.header(),
    );
    expect(res.status).toBe(200);
    expect(res.body.environments).toHaveLength(9);
  });

  it.each([
    ['', 'entityRef'],
    ['?entityRef=', 'entityRef is required'],
    ['?entityRef=iris', 'entityRef: "iris" is not an entity ref'],
    [
      '?entityRef=component:default/x&entityRef=component:default/y',
      'entityRef',
    ],
  ])('answers 400 for the query %j', async (query, message) => {
    const res = await request(server)
      .get(`/api/model-deployments/deployments${query}`)
      .expect(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toContain(message);
  });

  it('answers 404 for an unknown entity', async () => {
    const res = await getDeployments('component:default/nope').expect(404);
    expect(res.body.error.message).toBe(
      'No entity component:default/nope in the catalog',
    );
  });

  it('answers 400 naming the annotation when an entity has a malformed selector', async () => {
    const res = await getDeployments(
      'component:default/broken-selector',
    ).expect(400);
    expect(res.body.error.message).toContain('model-deployments/selector');
  });
});

describe('model-deployments resource kinds extension point', () => {
  const cluster = new DemoClusterServer({ token: TOKEN });

  let stopBackend: (() => Promise<void>) | undefined;

  afterAll(async () => {
    await stopBackend?.();
    await cluster.stop();
  });

  it('reads kinds added by a backend module', async () => {
    cluster.apply([namespace('dev')]);
    await cluster.start();
    const widgets = createBackendModule({
      pluginId: 'model-deployments',
      moduleId: 'widgets',
      register(reg) {
        reg.registerInit({
          deps: { kinds: modelDeploymentsResourceKindsExtensionPoint },
          async init({ kinds }) {
            kinds.addResourceKind({
              group: 'example.com',
              version: 'v1',
              kind: 'Widget',
              plural: 'widgets',
              normalize: () => ({
                phase: 'Unknown',
                versions: [],
                traffic: [],
                conditions: [],
              }),
            });
          },
        });
      },
    });
    const backend = await startModelDeploymentsBackend({
      clusters: [{ name: 'demo', url: cluster.url, token: TOKEN }],
      entities: entities,
      features: [widgets],
      modelDeployments: {
        environments: [{ name: 'dev', cluster: 'demo', namespace: 'dev' }],
      },
    });
    stopBackend = () => backend.stop();
    const server = backend.server;

    const res = await request(server).get(
      '/api/model-deployments/deployments?entityRef=component:default/iris',
    );
    expect(res.status).toBe(200);
    // The demo cluster does not serve the added kind, so it shows up as a
    // missing resource type next to the five built-in kinds that work.
    const [dev] = (res.body as EntityDeploymentsResponse).environments;
    expect(dev.error).toBeUndefined();
    expect(dev.warnings).toEqual([
      expect.objectContaining({
        type: 'RESOURCE_TYPE_MISSING',
        resourceKind: 'example.com/v1 Widget',
      }),
    ]);
  });
});

describe('model-deployments environment discovery', () => {
  const cluster = new DemoClusterServer({ token: TOKEN });

  let stopBackend: (() => Promise<void>) | undefined;

  afterAll(async () => {
    await stopBackend?.();
    await cluster.stop();
  });

  it('turns namespaces labelled the Seldon way into environments, including new ones', async () => {
    cluster.apply([
      namespace('ml-dev', { 'seldon.restricted': 'false' }),
      namespace(
        'ml-prod',
        {
          'seldon.restricted': 'true',
          'seldon.gitops': 'enabled',
          'model-deployments.seed-mlops.io/environment': 'production',
          'model-deployments.seed-mlops.io/stage': '40',
        },
        {
          'git-repo': 'https://git.example.com/ml/gitops.git',
          'model-deployments.seed-mlops.io/title': 'Production (EU)',
        },
      ),
      namespace('kube-system'),
      seldonDeployment('iris', 'ml-dev', 'Available', 'gs://models/iris/v2'),
    ]);
    await cluster.start();
    const backend = await startModelDeploymentsBackend({
      clusters: [{ name: 'main', url: cluster.url, token: TOKEN }],
      entities: entities,
      modelDeployments: {
        // Configured environments come first in their stage order too.
        environments: [
          {
            name: 'staging',
            stage: 30,
            cluster: 'main',
            namespace: 'ml-staging',
          },
        ],
        discovery: { enabled: true, clusters: ['main'] },
      },
    });
    stopBackend = () => backend.stop();
    const server = backend.server;

    const environments = async () =>
      (
        (await request(server).get('/api/model-deployments/environments'))
          .body as EnvironmentsResponse
      ).environments;

    expect(await environments()).toEqual([
      {
        name: 'ml-dev',
        title: 'ml-dev',
        stage: 10,
        cluster: 'main',
        namespace: 'ml-dev',
        restricted: false,
        origin: 'discovery',
      },
      {
        name: 'staging',
        title: 'staging',
        stage: 30,
        cluster: 'main',
        namespace: 'ml-staging',
        restricted: false,
        origin: 'config',
      },
      {
        name: 'production',
        title: 'Production (EU)',
        stage: 40,
        cluster: 'main',
        namespace: 'ml-prod',
        restricted: true,
        origin: 'discovery',
        gitops: {
          repoUrl: 'https://git.example.com/ml/gitops.git',
          path: 'ml-prod',
        },
      },
    ]);

    // A namespace labelled later shows up, and its models are read.
    cluster.apply([
      namespace('ml-test', { 'seldon.restricted': 'false' }),
      seldonDeployment('iris', 'ml-test', 'Creating', 'gs://models/iris/v3'),
    ]);
    const names = await waitFor(
      async () => (await environments()).map(e => e.name),
      list => list.includes('ml-test'),
    );
    expect(names).toEqual(['ml-dev', 'ml-test', 'staging', 'production']);
    const res = await request(server).get(
      '/api/model-deployments/deployments?entityRef=component:default/iris',
    );
    const byName = Object.fromEntries(
      (res.body as EntityDeploymentsResponse).environments.map(e => [
        e.environment.name,
        e,
      ]),
    );
    expect(byName['ml-dev'].deployments).toEqual([
      expect.objectContaining({ name: 'iris', phase: 'Ready' }),
    ]);
    expect(byName['ml-test'].deployments).toEqual([
      expect.objectContaining({ name: 'iris', phase: 'Progressing' }),
    ]);
  });
});
