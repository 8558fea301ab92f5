import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { execFile } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import { stringify as stringifyYaml } from 'yaml';
import {
  LocalControlPlane,
  REPO_ROOT,
  START_TIMEOUT_MS,
} from './__testUtils__/localControlPlane';
import { DemoGitServer } from './DemoGitServer';
import { DemoSyncTool } from './DemoSyncTool';
import { readManifests } from './manifests';
import { demoClusterPlugin } from './plugin';
import { seedFromArgs } from './realCluster/cli';
import { KubeApiClient } from './realCluster/KubeApiClient';
import {
  KubeApiSyncTarget,
  SYNC_FIELD_MANAGER,
} from './realCluster/KubeApiSyncTarget';
import { seedCluster } from './realCluster/seedCluster';
import { MODEL_SERVING_TYPES, apiVersionOf } from './resourceTypes';

/*
 * The example portal on a real kube-apiserver 1.37 with the published CRDs
 * (`bash scripts/start.sh --real-cluster`): the seed objects created the way
 * start.sh creates them, read back as the plugin's least-privilege user, and
 * the demo sync tool writing to the real server.
 */

const execFileAsync = promisify(execFile);
const EXAMPLES = path.join(REPO_ROOT, 'examples');
/** The paths start.sh passes to the seeding CLI. */
const SEED_PATHS = [
  path.join(EXAMPLES, 'kubernetes/rbac.yaml'),
  path.join(EXAMPLES, 'cluster'),
];
const SELDON_DEPLOYMENT = { apiVersion: 'machinelearning.seldon.io/v1' };

const key = (o: { kind?: string; metadata?: any }) =>
  `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/**
 * Where `got` lacks a value of `sent` or has another: fields the server
 * dropped or changed. Fields it added (defaults) do not count.
 */
function notKept(sent: unknown, got: any, at: string): string[] {
  if (Array.isArray(sent)) {
    if (!Array.isArray(got) || got.length !== sent.length) {
      return [`${at}: ${JSON.stringify(sent)} became ${JSON.stringify(got)}`];
    }
    return sent.flatMap((v, i) => notKept(v, got[i], `${at}[${i}]`));
  }
  if (sent && typeof sent === 'object') {
    return Object.entries(sent).flatMap(([k, v]) =>
      notKept(v, got?.[k], `${at}.${k}`),
    );
  }
  return sent === got
    ? []
    : [`${at}: ${JSON.stringify(sent)} became ${JSON.stringify(got)}`];
}

/** Ready as the sync tool's rollout ends: Available, or a Ready condition. */
function isRolledOut(object: Record<string, any>) {
  return object.status?.state
    ? object.status.state === 'Available'
    : Boolean(
        object.status?.conditions?.some(
          (c: any) => c.type === 'Ready' && c.status === 'True',
        ),
      );
}

async function freePort() {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** Polls `read` until `done` holds of its value, for up to 20 s. */
async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean) {
  const deadline = Date.now() + 20_000;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

/** Clones a repository of the demo Git server; `commit` then pushes a change. */
async function workingCopy(url: string, dir: string) {
  await execFileAsync('git', ['clone', '-q', url, dir]);
  const run = (...args: string[]) =>
    execFileAsync(
      'git',
      ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args],
      { cwd: dir },
    );
  return {
    dir,
    async commit(message: string) {
      await run('add', '-A');
      await run('commit', '-qm', message);
      await run('push', '-q', 'origin', 'HEAD:main');
    },
  };
}

/** Sets the replicas of the iris SeldonDeployment of production-models. */
function setIrisReplicas(workDir: string, replicas: number) {
  const file = path.join(
    workDir,
    'models/SeldonDeployment-iris-classifier.json',
  );
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  manifest.spec.predictors[0].replicas = replicas;
  fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
}

/** The example's production iris, with its operator-written status, in `namespace`. */
function seededIris(namespace: string) {
  const iris = readManifests(
    path.join(EXAMPLES, 'cluster/production/seldon-deployments.yaml'),
  ).find(o => o.metadata.name === 'iris-classifier')!;
  return { ...iris, metadata: { ...iris.metadata, namespace } };
}

// Each test talks to a real API server, on a 2-core machine busy with others.
jest.setTimeout(60_000);

describe('the example portal on a real API server', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'real-cluster-sync-'));
  let controlPlane: LocalControlPlane;
  let admin: KubeApiClient;

  beforeAll(async () => {
    controlPlane = await LocalControlPlane.start();
    admin = new KubeApiClient({
      url: controlPlane.url,
      token: controlPlane.adminToken,
      skipTLSVerify: true,
    });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    admin?.close();
    await controlPlane?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 120_000);

  it('accepts every example manifest as start.sh creates them, status included', async () => {
    const result = await seedFromArgs([
      '--env',
      controlPlane.envFile,
      ...SEED_PATHS,
    ]);
    expect(result.warnings).toEqual([]);

    const manifests = SEED_PATHS.flatMap(p => readManifests(p));
    expect(
      result.objects
        .map(o => `${o.kind} ${o.namespace ?? ''}/${o.name}`)
        .sort(),
    ).toEqual(manifests.map(key).sort());

    // Listed back: the same objects of each model-serving kind, each field
    // of their manifests kept (the server may add defaults).
    for (const type of MODEL_SERVING_TYPES) {
      const expected = manifests.filter(m => m.kind === type.kind);
      const listed = await admin.list(apiVersionOf(type), type.kind);
      expect(listed.map(key).sort()).toEqual(expected.map(key).sort());
      expect(
        expected.flatMap(manifest => {
          const live = listed.find(o => key(o) === key(manifest));
          return notKept(
            {
              labels: manifest.metadata.labels,
              spec: manifest.spec,
              status: manifest.status,
            },
            {
              labels: live?.metadata.labels,
              spec: live?.spec,
              status: live?.status,
            },
            key(manifest),
          );
        }),
      ).toEqual([]);
    }
    const namespaces = await admin.list('v1', 'Namespace');
    expect(namespaces.map(n => n.metadata.name)).toEqual(
      expect.arrayContaining(['dev', 'staging', 'production', 'seldon-logs']),
    );
  });

  it("lets the plugin's user read the environments, and nothing else, with rbac.yaml alone", async () => {
    const plugin = new KubeApiClient({
      url: controlPlane.url,
      token: controlPlane.pluginToken,
      skipTLSVerify: true,
    });
    try {
      for (const namespace of ['dev', 'staging', 'production']) {
        for (const type of MODEL_SERVING_TYPES) {
          const res = await plugin.request(
            'GET',
            `/apis/${apiVersionOf(type)}/namespaces/${namespace}/${
              type.plural
            }`,
          );
          expect({ namespace, kind: type.kind, status: res.status }).toEqual({
            namespace,
            kind: type.kind,
            status: 200,
          });
        }
      }
      const elsewhere = await plugin.request(
        'GET',
        '/apis/machinelearning.seldon.io/v1/namespaces/seldon-logs/seldondeployments',
      );
      expect(elsewhere.status).toBe(403);
      const write = await plugin.request(
        'DELETE',
        '/apis/machinelearning.seldon.io/v1/namespaces/dev/seldondeployments/iris-classifier',
      );
      expect(write.status).toBe(403);
    } finally {
      plugin.close();
    }
  });

  it('refuses a manifest the CRD schema does not allow, with the server message', async () => {
    const bad = {
      apiVersion: 'mlops.seldon.io/v1alpha1',
      kind: 'Model',
      metadata: { name: 'not-a-model', namespace: 'default' },
      spec: { storageUri: 'gs://models/x', requirements: 'sklearn' },
    };
    await expect(seedCluster(admin, [bad])).rejects.toThrow(
      /^Creating Model default\/not-a-model: the API server answered 422 Invalid: .*spec\.requirements: Invalid value: "string"/,
    );
  });

  describe("the sync tool's real API server target", () => {
    const namespace = 'sync-check';
    const everyKindNamespace = 'sync-every-kind';
    const git = new DemoGitServer({ source: path.join(EXAMPLES, 'gitops') });
    const errors: Error[] = [];
    let tool: DemoSyncTool;
    let work: Awaited<ReturnType<typeof workingCopy>>;

    beforeAll(async () => {
      // The iris of production with its status, as the seeding writes it.
      await seedCluster(admin, [
        seededIris(namespace),
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: everyKindNamespace },
        },
      ]);
      await git.start();
      work = await workingCopy(
        `${git.url}/production-models.git`,
        path.join(tmp, 'sync'),
      );
      tool = new DemoSyncTool({
        target: new KubeApiSyncTarget(admin),
        repositoriesDir: git.repositoriesDir,
        mappings: [
          {
            repository: 'production-models',
            branch: 'main',
            path: 'models',
            namespace,
          },
          {
            repository: 'models',
            branch: 'main',
            path: 'staging',
            namespace: everyKindNamespace,
          },
        ],
        rolloutMs: 300,
        onError: error => errors.push(error),
      });
      await tool.start();
    }, 60_000);

    afterAll(async () => {
      tool?.stop();
      await git.stop();
    });

    it('applies a changed manifest with server-side apply and its status through /status', async () => {
      setIrisReplicas(work.dir, 5);
      await work.commit('iris to five replicas');

      expect(await tool.sync()).toBe(1);
      const ref = {
        ...SELDON_DEPLOYMENT,
        kind: 'SeldonDeployment',
        namespace,
        name: 'iris-classifier',
      };
      const rolling = (await admin.get(ref))!;
      expect(rolling.spec.predictors[0].replicas).toBe(5);
      expect(rolling.status.state).toBe('Creating');
      // The endpoint the operator had written survives the update.
      expect(rolling.status.address.url).toContain('iris-classifier');
      expect(rolling.metadata.managedFields).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            manager: SYNC_FIELD_MANAGER,
            operation: 'Apply',
          }),
          expect.objectContaining({
            manager: SYNC_FIELD_MANAGER,
            operation: 'Update',
            subresource: 'status',
          }),
        ]),
      );

      const ready = await eventually(
        async () => (await admin.get(ref))!,
        o => o.status.state === 'Available',
      );
      expect(ready.status.state).toBe('Available');
      // Replaced, not merged: the seeded entry's `status` key is gone.
      expect(Object.values<any>(ready.status.deploymentStatus)).toEqual([
        { replicas: 5, availableReplicas: 5 },
      ]);
      expect(errors).toEqual([]);
      expect(await tool.sync()).toBe(0);
    });

    it('reports a manifest the real schema refuses, with the server message, and applies the rest', async () => {
      fs.writeFileSync(
        path.join(work.dir, 'models/Model-misspelt.yaml'),
        [
          'apiVersion: mlops.seldon.io/v1alpha1',
          'kind: Model',
          'metadata:',
          '  name: misspelt',
          'spec:',
          '  storageUri: gs://models/misspelt',
          '  replica: 2',
          '',
        ].join('\n'),
      );
      setIrisReplicas(work.dir, 4);
      await work.commit('a misspelt model, iris to four');

      expect(await tool.sync()).toBe(1);
      expect(errors.map(e => e.message)).toEqual([
        expect.stringMatching(
          // 500 rather than 400: kubernetes/kubernetes#139253.
          /^production-models\.git models\/Model-misspelt\.yaml not applied until it changes: Applying Model sync-check\/misspelt: the API server answered \d{3}.*\.spec\.replica: field not declared in schema/,
        ),
      ]);
      const iris = await admin.get({
        ...SELDON_DEPLOYMENT,
        kind: 'SeldonDeployment',
        namespace,
        name: 'iris-classifier',
      });
      expect(iris!.spec.predictors[0].replicas).toBe(4);
    });

    it('writes statuses every kind of the GitOps examples accepts', async () => {
      // A label added to every manifest of staging, each then applied anew.
      const models = await workingCopy(
        `${git.url}/models.git`,
        path.join(tmp, 'every-kind'),
      );
      const folder = path.join(models.dir, 'staging');
      const kinds = new Map<string, string[]>();
      for (const file of fs.readdirSync(folder)) {
        const full = path.join(folder, file);
        const manifest = readManifests(full)[0];
        manifest.metadata.labels = {
          ...manifest.metadata.labels,
          'model-deployments.seed-mlops.io/sync-check': 'yes',
        };
        fs.writeFileSync(
          full,
          file.endsWith('.json')
            ? JSON.stringify(manifest, null, 2)
            : stringifyYaml(manifest),
        );
        kinds.set(manifest.kind, [
          ...(kinds.get(manifest.kind) ?? []),
          manifest.metadata.name,
        ]);
      }
      await models.commit('label every manifest of staging');
      const count = [...kinds.values()].flat().length;
      expect(kinds.size).toBeGreaterThanOrEqual(5);

      errors.length = 0;
      expect(await tool.sync()).toBe(count);
      // Ready after the rollout: the second status of each was accepted too.
      const client = admin;
      for (const [kind, names] of kinds) {
        const type = MODEL_SERVING_TYPES.find(t => t.kind === kind)!;
        const live = await eventually(
          () => client.list(apiVersionOf(type), kind, everyKindNamespace),
          list => list.length === names.length && list.every(isRolledOut),
        );
        expect({
          kind,
          ready: live
            .filter(isRolledOut)
            .map(o => o.metadata.name)
            .sort(),
        }).toEqual({ kind, ready: [...names].sort() });
      }
      expect(errors).toEqual([]);
    });
  });

  it('runs in the backend with modelDeployments.demoCluster.apiServer: no demo cluster, the sync tool on the real server', async () => {
    const namespace = 'plugin-check';
    await seedCluster(admin, [seededIris(namespace)]);
    const [demoPort, gitPort] = [await freePort(), await freePort()];
    const gitUrl = `http://127.0.0.1:${gitPort}`;
    const backend = await startTestBackend({
      features: [
        demoClusterPlugin,
        mockServices.rootConfig.factory({
          data: {
            modelDeployments: {
              environments: [
                {
                  name: 'production',
                  cluster: 'demo',
                  namespace,
                  gitops: {
                    repoUrl: `${gitUrl}/production-models.git`,
                    branch: 'main',
                    path: 'models',
                  },
                },
              ],
              demoCluster: {
                enabled: true,
                port: demoPort,
                apiServer: {
                  url: controlPlane.url,
                  token: controlPlane.adminToken,
                  skipTLSVerify: true,
                },
                git: {
                  port: gitPort,
                  source: path.join(EXAMPLES, 'gitops'),
                  syncIntervalSeconds: 0.2,
                  rolloutSeconds: 0.2,
                },
              },
            },
          },
        }),
      ],
    });
    try {
      // The built-in demo cluster did not start.
      const connect = await new Promise<string>(resolve => {
        const socket = net.connect(demoPort, '127.0.0.1');
        socket.on('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.on('error', error => resolve((error as any).code));
      });
      expect(connect).toBe('ECONNREFUSED');

      const work = await workingCopy(
        `${gitUrl}/production-models.git`,
        path.join(tmp, 'plugin'),
      );
      setIrisReplicas(work.dir, 7);
      await work.commit('iris to seven replicas');
      const iris = await eventually(
        async () =>
          (await admin.get({
            ...SELDON_DEPLOYMENT,
            kind: 'SeldonDeployment',
            namespace,
            name: 'iris-classifier',
          }))!,
        o =>
          o.spec.predictors[0].replicas === 7 && o.status.state === 'Available',
      );
      expect(iris.spec.predictors[0].replicas).toBe(7);
      expect(Object.values<any>(iris.status.deploymentStatus)).toEqual([
        { replicas: 7, availableReplicas: 7 },
      ]);
    } finally {
      await backend.stop();
    }
  });
});
