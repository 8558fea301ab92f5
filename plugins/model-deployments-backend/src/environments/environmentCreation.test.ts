import {
  DemoClusterServer,
  DemoGitServer,
  NAMESPACES,
  readManifestsFromDirectory,
} from '@seed-mlops/demo-cluster';
import { EnvironmentCreationResult } from '@seed-mlops/plugin-model-deployments-common';
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { promisify } from 'util';
import { denyPermission } from '../__testUtils__/denyPermission';
import { startModelDeploymentsBackend } from '../__testUtils__/startModelDeploymentsBackend';

const execFileAsync = promisify(execFile);
const REPO = 'http://demo-git.invalid/models.git';
const TOKEN = 'demo-cluster-token';
const EXAMPLES = path.resolve(__dirname, '../../../../examples');

async function remoteHead(url: string) {
  const { stdout } = await execFileAsync('git', [
    'ls-remote',
    url,
    'refs/heads/main',
  ]);
  return stdout.split(/\s/)[0];
}

describe('creating environments', () => {
  const cluster = new DemoClusterServer({ token: TOKEN });
  const gitServer = new DemoGitServer({ source: `${EXAMPLES}/gitops` });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'environment-create-'));
  let backend: Awaited<ReturnType<typeof startModelDeploymentsBackend>>;
  let repoUrl: string;

  beforeAll(async () => {
    const objects = readManifestsFromDirectory(`${EXAMPLES}/cluster`);
    cluster.apply(objects.filter(o => o.kind === 'Namespace'));
    cluster.apply(objects.filter(o => o.kind !== 'Namespace'));
    // Exists already, labelled for nothing of ours.
    cluster.apply([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sandbox' } },
    ]);
    await Promise.all([cluster.start(), gitServer.start()]);
    repoUrl = `${gitServer.url}/models.git`;
    backend = await startModelDeploymentsBackend({
      clusters: [{ name: 'demo', url: cluster.url, token: TOKEN }],
      // Owner groups must be catalog groups.
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'risk-ml', namespace: 'default' },
          spec: { type: 'team', children: [] },
        },
      ],
      modelDeployments: {
        gitops: {
          cacheDir: path.join(tmp, 'cache'),
          allowedHosts: [new URL(gitServer.url).host],
        },
        environments: ['dev', 'staging', 'production'].map((name, i) => ({
          name,
          cluster: 'demo',
          namespace: name,
          stage: (i + 1) * 10,
        })),
      },
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([cluster.stop(), gitServer.stop()]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  // The tables below are built before the Git server has a port: they name
  // the repository REPO, and requests get the real URL.
  const create = (body: object) =>
    request(backend.server)
      .post('/api/model-deployments/environments')
      .send(JSON.parse(JSON.stringify(body).split(REPO).join(repoUrl)));
  const qa = {
    name: 'qa',
    title: 'Quality assurance',
    cluster: 'demo',
    stage: 15,
    ownerGroups: ['group:default/risk-ml'],
    gitops: { repoUrl: REPO, branch: 'main' },
  };

  it('shows what it would create on a dry run, and creates nothing', async () => {
    const before = await remoteHead(repoUrl);
    const res = await create({ ...qa, dryRun: true });
    expect(res.status).toBe(200);
    const result = res.body as EnvironmentCreationResult;
    expect(result.status).toBe('dry-run');
    expect(result.objects.map(o => [o.action, o.object.kind])).toEqual([
      ['create', 'Namespace'],
      ['create', 'RoleBinding'],
    ]);
    expect(result.files).toEqual([{ path: 'qa/README.md', change: 'create' }]);
    expect(cluster.store.get(NAMESPACES, undefined, 'qa')).toBeUndefined();
    expect(await remoteHead(repoUrl)).toBe(before);
  });

  it('creates the namespace discovery reads, the owners binding and the GitOps folder', async () => {
    const res = await create(qa);
    expect(res.status).toBe(201);
    const result = res.body as EnvironmentCreationResult;
    expect(result.status).toBe('created');
    const namespace = cluster.store.get(NAMESPACES, undefined, 'qa')!;
    expect(namespace.metadata.labels).toEqual({
      'seldon.restricted': 'false',
      'seldon.gitops': 'enabled',
      'model-deployments.seed-mlops.io/environment': 'qa',
      'model-deployments.seed-mlops.io/stage': '15',
      // Set by the API server on every namespace.
      'kubernetes.io/metadata.name': 'qa',
    });
    expect((namespace.metadata as any).annotations).toEqual({
      'git-repo': repoUrl,
      'model-deployments.seed-mlops.io/git-path': 'qa',
      'model-deployments.seed-mlops.io/git-branch': 'main',
      'model-deployments.seed-mlops.io/title': 'Quality assurance',
    });
    const binding = await (
      await fetch(
        `${cluster.url}/apis/rbac.authorization.k8s.io/v1/namespaces/qa/rolebindings/model-deployments-owners`,
        { headers: { Authorization: `Bearer ${TOKEN}` } },
      )
    ).json();
    expect(binding.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'risk-ml' },
    ]);
    const clone = path.join(tmp, 'clone');
    await execFileAsync('git', ['clone', '-q', repoUrl, clone]);
    expect(
      fs.readFileSync(path.join(clone, 'qa', 'README.md'), 'utf8'),
    ).toMatch(/^# Quality assurance\n/);
    expect(result.commit?.sha).toBe(await remoteHead(repoUrl));
  });

  it('adopts what is already there, so running it again changes nothing', async () => {
    const before = await remoteHead(repoUrl);
    const creates = cluster.requestCounts.create;
    // Not in the registry (discovery is off), so only the cluster and Git say it exists.
    const res = await create(qa);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('up-to-date');
    expect(res.body.objects.map((o: { action: string }) => o.action)).toEqual([
      'exists',
      'exists',
    ]);
    expect(cluster.requestCounts.create).toBe(creates);
    expect(await remoteHead(repoUrl)).toBe(before);
  });

  it('creates once when asked twice at the same time, as two replicas may be', async () => {
    const before = await remoteHead(repoUrl);
    const creates = cluster.requestCounts.create;
    const uat = { ...qa, name: 'uat', title: 'User acceptance', stage: 16 };
    const answers = await Promise.all([create(uat), create(uat)]);
    expect(answers.map(a => a.status).sort()).toEqual([200, 201]);
    expect(answers.map(a => a.body.status).sort()).toEqual([
      'created',
      'up-to-date',
    ]);
    // One namespace, one binding, one README commit.
    expect(cluster.requestCounts.create - creates).toBe(2);
    const log = await execFileAsync('git', [
      'clone',
      '-q',
      repoUrl,
      path.join(tmp, 'clone-uat'),
    ]).then(() =>
      execFileAsync('git', ['log', '--format=%H', `${before}..HEAD`], {
        cwd: path.join(tmp, 'clone-uat'),
      }),
    );
    expect(log.stdout.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    [
      { ...qa, name: 'staging', namespace: 'staging-2' },
      /name: environment 'staging' already exists/,
    ],
    [
      { ...qa, name: 'stage-two', namespace: 'staging' },
      /namespace: 'staging' on cluster 'demo' is already environment 'staging'/,
    ],
    [
      { ...qa, name: 'sandbox' },
      /namespace: 'sandbox' already exists on cluster 'demo' with other labels/,
    ],
    [{ ...qa, name: 'QA!' }, /name: "QA!" is not a DNS-1123 label/],
    [
      { ...qa, name: 'qa2', gitops: { repoUrl: REPO, path: '../outside' } },
      /gitops.path: must stay inside the repository/,
    ],
    [
      { ...qa, name: 'qa2', gitops: { repoUrl: 'file:///etc' } },
      /gitops.repoUrl: only http\(s\) URLs/,
    ],
    [
      { ...qa, name: 'qa2', ownerGroups: ['user:default/priya'] },
      /ownerGroups.0: "user:default\/priya" is not a group ref/,
    ],
    [{ ...qa, name: 'qa2', stage: 1.5 }, /stage: stage must be a whole number/],
    [{ ...qa, name: 'qa2', extra: true }, /unknown field "extra"/],
  ])('refuses %j and creates nothing', async (body, message) => {
    const before = await remoteHead(repoUrl);
    const creates = cluster.requestCounts.create;
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect(cluster.requestCounts.create).toBe(creates);
    expect(await remoteHead(repoUrl)).toBe(before);
  });
});

describe('creating environments without the permission', () => {
  const cluster = new DemoClusterServer({ token: TOKEN });
  let backend: Awaited<ReturnType<typeof startModelDeploymentsBackend>>;

  beforeAll(async () => {
    cluster.apply([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } },
    ]);
    await cluster.start();
    backend = await startModelDeploymentsBackend({
      clusters: [{ name: 'demo', url: cluster.url, token: TOKEN }],
      entities: [],
      modelDeployments: {
        environments: [{ name: 'dev', cluster: 'demo', namespace: 'dev' }],
      },
      features: [denyPermission('model-deployments.environment.create')],
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await cluster.stop();
  });

  it('answers 403 and creates nothing', async () => {
    const res = await request(backend.server)
      .post('/api/model-deployments/environments')
      .send({ name: 'qa', cluster: 'demo', stage: 15 });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe('You may not create environments');
    expect(cluster.requestCounts.create).toBe(0);
  });
});
