import {
  EntityDeploymentsResponse,
  EnvironmentDeployments,
} from '@seed-mlops/plugin-model-deployments-common';
import request from 'supertest';
import { startModelDeploymentsBackend } from '../__testUtils__/startModelDeploymentsBackend';
import { within } from '../__testUtils__/waitFor';
import {
  AuditedRequest,
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
 * How the plugin's watches live and end on a real kube-apiserver 1.37: the
 * server ends each watch after `timeoutSeconds` (here 5 s), sends a bookmark
 * 2 s before that, and answers a resourceVersion that etcd compacted away
 * with 410 Gone. What the plugin asked is read from the API server's audit
 * log, what the page shows from /deployments.
 */

const WATCH_TIMEOUT_SECONDS = 5;
const DEV_SELDON_DEPLOYMENTS =
  '/apis/machinelearning.seldon.io/v1/namespaces/dev/seldondeployments';

/**
 * A real API server with the CRDs, the README's RBAC, `iris` in `dev`, and
 * the backend watching `dev` with short watches.
 */
async function startWorld(options: { watchCache: boolean }) {
  const apiServer = await RealApiServer.start({
    watchCache: options.watchCache,
  });
  await createNamespacesWithRbac(apiServer, ['dev', 'staging', 'production']);
  await apiServer.create(seldonDeploymentManifest('iris', 'dev'));
  const backend = await startModelDeploymentsBackend({
    clusters: [realCluster(apiServer)],
    entities: [modelEntity('iris')],
    modelDeployments: {
      clusterRequestTimeout: { seconds: 3 },
      clusterWatchTimeout: { seconds: WATCH_TIMEOUT_SECONDS },
      environments: [{ name: 'dev', cluster: 'real', namespace: 'dev' }],
    },
  });
  const dev = async (): Promise<EnvironmentDeployments> => {
    const res = await request(backend.server)
      .get('/api/model-deployments/deployments')
      .query({ entityRef: 'component:default/iris' });
    expect(res.status).toBe(200);
    return (res.body as EntityDeploymentsResponse).environments[0];
  };
  const pluginRequests = (verb: 'list' | 'watch') =>
    apiServer
      .requestsOf('model-deployments')
      .filter(r => r.verb === verb && r.path === DEV_SELDON_DEPLOYMENTS);
  const setIrisModel = async (modelUri: string) => {
    const res = await apiServer.request(
      'PATCH',
      `${DEV_SELDON_DEPLOYMENTS}/iris`,
      { spec: seldonDeploymentManifest('iris', 'dev', { modelUri }).spec },
      'application/merge-patch+json',
    );
    expect(res.status).toBe(200);
  };
  const stop = async () => {
    await backend.stop();
    await apiServer.stop();
  };
  return { apiServer, dev, pluginRequests, setIrisModel, stop };
}

/**
 * Reads the page every 200 ms until `until` holds (at most `withinMs`) and
 * keeps every reading, so that a test can say the page never blanked.
 */
async function watchPage(
  read: () => Promise<EnvironmentDeployments>,
  until: () => boolean,
  withinMs: number,
) {
  const readings: EnvironmentDeployments[] = [];
  const started = Date.now();
  while (!until() && Date.now() - started < withinMs) {
    readings.push(await read());
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  return readings;
}

const resourceVersionOf = (r: AuditedRequest) =>
  Number(r.query.resourceVersion);

describe('watches on a real kube-apiserver, with its watch cache', () => {
  let world: Awaited<ReturnType<typeof startWorld>>;

  beforeAll(async () => {
    world = await startWorld({ watchCache: true });
    await within(5_000, world.dev, env => env.deployments.length === 1);
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await world?.stop();
  }, 60_000);

  it('resumes each ended watch from the bookmark the server sent, without relisting, and asks for bookmarks every time', async () => {
    // Changes to the same kind elsewhere move the server's resourceVersion
    // on; the quiet `dev` watch sees no event, only the bookmarks.
    let busiest = 0;
    for (const name of ['a', 'b', 'c']) {
      const created = await world.apiServer.create(
        seldonDeploymentManifest(name, 'production', {
          modelUri: 'gs://models/busy/v1',
        }),
      );
      busiest = Number(created.metadata.resourceVersion);
    }
    const resumedPastTheChanges = () =>
      world.pluginRequests('watch').some(r => resourceVersionOf(r) >= busiest);
    const readings = await watchPage(
      world.dev,
      resumedPastTheChanges,
      4 * WATCH_TIMEOUT_SECONDS * 1000,
    );
    expect(resumedPastTheChanges()).toBe(true);

    const watches = world.pluginRequests('watch');
    expect(watches.length).toBeGreaterThanOrEqual(2);
    for (const watch of watches) {
      expect(watch.query).toMatchObject({
        allowWatchBookmarks: 'true',
        timeoutSeconds: String(WATCH_TIMEOUT_SECONDS),
      });
      expect(watch.code).toBe(200);
    }
    // One list at the start; every ended watch was resumed, not relisted.
    expect(world.pluginRequests('list')).toHaveLength(1);
    // A watch ending on time is not an error, and the data stays.
    for (const reading of readings) {
      expect(reading.error).toBeUndefined();
      expect(reading.deployments.map(d => d.name)).toEqual(['iris']);
    }

    // The resumed watch still delivers changes at once.
    await world.setIrisModel('gs://models/iris/v2');
    const changed = await within(
      2_000,
      world.dev,
      env =>
        env.deployments[0]?.versions[0]?.modelUri === 'gs://models/iris/v2',
    );
    expect(changed.value.deployments[0].versions[0].modelUri).toBe(
      'gs://models/iris/v2',
    );
  }, 60_000);
});

describe('watches on a real kube-apiserver, served from etcd', () => {
  let world: Awaited<ReturnType<typeof startWorld>>;

  beforeAll(async () => {
    world = await startWorld({ watchCache: false });
    await within(5_000, world.dev, env => env.deployments.length === 1);
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await world?.stop();
  }, 60_000);

  it('relists once after 410 Gone (its resourceVersion compacted away), with nothing lost, doubled or blanked', async () => {
    expect(world.pluginRequests('list')).toHaveLength(1);
    const [firstWatch] = world.pluginRequests('watch');
    // Other writes move etcd on; `dev` stays quiet, so the watch's
    // resourceVersion stays where it was, and compaction removes it.
    for (const name of ['a', 'b', 'c']) {
      await world.apiServer.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: 'production' },
      });
    }
    const compactedTo = await world.apiServer.compactEtcd();
    expect(resourceVersionOf(firstWatch)).toBeLessThan(compactedTo);

    const relisted = () => world.pluginRequests('list').length > 1;
    const readings = await watchPage(
      world.dev,
      relisted,
      4 * WATCH_TIMEOUT_SECONDS * 1000,
    );
    expect(relisted()).toBe(true);

    // The ended watch was resumed at the compacted resourceVersion (the
    // server answered 410 in the stream), then the plugin listed again and
    // watched from the new list.
    await within(
      WATCH_TIMEOUT_SECONDS * 1000,
      async () => world.pluginRequests('watch'),
      watches => watches.some(w => resourceVersionOf(w) >= compactedTo),
    );
    const watches = world.pluginRequests('watch');
    expect(
      watches.filter(w => resourceVersionOf(w) < compactedTo).length,
    ).toBeGreaterThanOrEqual(2);
    expect(watches.at(-1)!.query.resourceVersion).not.toBe('');
    expect(resourceVersionOf(watches.at(-1)!)).toBeGreaterThanOrEqual(
      compactedTo,
    );
    expect(world.pluginRequests('list')).toHaveLength(2);

    // Expiry is routine: no error, and `iris` shown once throughout.
    for (const reading of [...readings, await world.dev()]) {
      expect(reading.error).toBeUndefined();
      expect(reading.deployments.map(d => d.name)).toEqual(['iris']);
    }

    // And the new watch delivers changes at once.
    await world.setIrisModel('gs://models/iris/v3');
    const changed = await within(
      2_000,
      world.dev,
      env =>
        env.deployments[0]?.versions[0]?.modelUri === 'gs://models/iris/v3',
    );
    expect(changed.value.deployments[0].versions[0].modelUri).toBe(
      'gs://models/iris/v3',
    );
  }, 60_000);
});
