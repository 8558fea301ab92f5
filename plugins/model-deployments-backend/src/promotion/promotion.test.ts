import { Entity } from '@backstage/catalog-model';
import { PromotionResult } from '@seed-mlops/plugin-model-deployments-common';
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { promisify } from 'util';
import {
  demoClusterAndGit,
  exampleModel,
} from '../__testUtils__/demoClusterAndGit';
import { denyPermission } from '../__testUtils__/denyPermission';
import { recordingAuditor } from '../__testUtils__/recordingAuditor';
import { startModelDeploymentsBackend } from '../__testUtils__/startModelDeploymentsBackend';
import { seldonDeployment } from '../__fixtures__/manifests';

const execFileAsync = promisify(execFile);
const EXAMPLES = path.resolve(__dirname, '../../../../examples');

const userEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'mock', namespace: 'default' },
  spec: {
    profile: { displayName: 'Priya Raman', email: 'priya@example.com' },
  },
};

async function git(cwd: string, ...args: string[]) {
  const { stdout } = await execFileAsync(
    'git',
    ['-c', 'user.name=Other', '-c', 'user.email=other@example.com', ...args],
    { cwd },
  );
  return stdout.trim();
}

/** The commit a branch of a served repository points at, or '' without one. */
async function remoteHead(url: string, branch = 'main') {
  const out = await git(os.tmpdir(), 'ls-remote', url, `refs/heads/${branch}`);
  return out.split(/\s/)[0] ?? '';
}

describe('promotions through Git', () => {
  const demo = demoClusterAndGit('promotion-test-');
  const { gitServer, tmp } = demo;
  const auditor = recordingAuditor();
  const events = auditor.events;
  let backend: Awaited<ReturnType<typeof startModelDeploymentsBackend>>;
  let production: string;

  beforeAll(async () => {
    // Ready, but with 1.2 MB of annotations: too big to be a real manifest.
    const bloated = seldonDeployment(
      'bloated',
      'staging',
      'Available',
      'gs://m/bloated/v1',
      { 'backstage.io/kubernetes-id': 'bloated' },
    );
    await demo.start([
      {
        ...bloated,
        metadata: {
          ...bloated.metadata,
          annotations: { notes: 'x'.repeat(1_200_000) },
        },
      },
    ]);
    production = `${gitServer.url}/production-models.git`;
    backend = await startModelDeploymentsBackend({
      clusters: [demo.clusterConfig()],
      entities: [
        ...[
          'iris-classifier',
          'fraud-scorer',
          'churn-predictor',
          'price-optimizer',
          'sentiment-analysis',
          'bloated',
        ].map(exampleModel),
        userEntity,
      ],
      modelDeployments: {
        gitops: { cacheDir: demo.cacheDir },
        promotion: {
          committer: { name: 'Backstage Bot', email: 'bot@example.com' },
        },
        environments: [
          {
            name: 'dev',
            cluster: 'demo',
            namespace: 'dev',
            gitops: { repoUrl: `${gitServer.url}/models.git`, branch: 'main' },
          },
          {
            name: 'staging',
            cluster: 'demo',
            namespace: 'staging',
            gitops: { repoUrl: `${gitServer.url}/models.git`, branch: 'main' },
          },
          {
            name: 'production',
            cluster: 'demo',
            namespace: 'production',
            restricted: true,
            gitops: {
              repoUrl: production,
              branch: 'main',
              path: 'models',
              promotionStrategy: 'commit',
            },
          },
        ],
      },
      features: [auditor.factory],
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await demo.stop();
  });

  const promote = (body: object) =>
    request(backend.server)
      .post('/api/model-deployments/promotions')
      .send(body);

  /** A clone of the production repository as it is now. */
  const cloneProduction = async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'clone-'));
    await git(tmp, 'clone', '-q', production, dir);
    return dir;
  };

  it('shows the change on a dry run and writes nothing', async () => {
    const before = await remoteHead(production);
    const res = await promote({
      entityRef: 'component:default/iris-classifier',
      to: 'production',
      dryRun: true,
    });
    expect(res.status).toBe(200);
    const result = res.body as PromotionResult;
    expect(result).toMatchObject({
      status: 'dry-run',
      from: 'staging',
      to: 'production',
      strategy: 'commit',
      files: [
        {
          path: 'models/SeldonDeployment-iris-classifier.json',
          change: 'update',
        },
      ],
    });
    expect(result.diff).toContain(
      '+++ b/models/SeldonDeployment-iris-classifier.json',
    );
    expect(result.diff).toMatch(/^-.*"replicas"/m);
    // The demo cluster cannot dry-run writes; the result says it was not asked.
    expect(result.clusterCheck).toEqual({
      state: 'skipped',
      message:
        "Not checked against cluster 'demo': it does not support server-side dry runs",
    });
    expect(await remoteHead(production)).toBe(before);
  });

  it('commits the source manifest, cleaned for the target, with who asked', async () => {
    const before = await remoteHead(production);
    const res = await promote({
      entityRef: 'component:default/iris-classifier',
      from: 'staging',
      to: 'production',
    });
    expect(res.status).toBe(201);
    const result = res.body as PromotionResult;
    expect(result.status).toBe('committed');
    expect(result.commit?.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await remoteHead(production)).toBe(result.commit?.sha);

    const clone = await cloneProduction();
    expect(await git(clone, 'rev-parse', 'HEAD~1')).toBe(before);
    const written = JSON.parse(
      fs.readFileSync(
        path.join(clone, 'models', 'SeldonDeployment-iris-classifier.json'),
        'utf8',
      ),
    );
    const source = JSON.parse(
      fs.readFileSync(
        `${EXAMPLES}/gitops/models/staging/SeldonDeployment-iris-classifier.json`,
        'utf8',
      ),
    );
    // The target's file leaves the namespace to the sync tool, so the promoted one does too.
    const { namespace: _namespace, ...metadata } = source.metadata;
    expect(written).toEqual({ ...source, metadata });
    expect(await git(clone, 'log', '-1', '--format=%an <%ae>')).toBe(
      'Backstage Bot <bot@example.com>',
    );
    expect(JSON.parse(await git(clone, 'log', '-1', '--format=%B'))).toEqual({
      Action: 'Promoted from staging',
      Message: expect.stringMatching(
        /^Promote iris-classifier \(gs:\/\/.+\) from staging to production$/,
      ),
      Author: 'Priya Raman',
      Email: 'priya@example.com',
    });
    // The cluster check went through the Kubernetes plugin, which audits it.
    expect(events).toContainEqual(
      expect.objectContaining({
        eventId: 'cluster-fetch',
        meta: expect.objectContaining({
          method: 'PATCH',
          path: '/apis/machinelearning.seldon.io/v1/namespaces/production/seldondeployments/iris-classifier',
        }),
      }),
    );
    expect(events.filter(e => e.eventId === 'promotion').at(-1)).toMatchObject({
      eventId: 'promotion',
      outcome: 'success',
      meta: expect.objectContaining({
        actor: 'user:default/mock',
        entityRef: 'component:default/iris-classifier',
        to: 'production',
      }),
    });
  });

  it('writes nothing when the target already matches', async () => {
    const before = await remoteHead(production);
    for (const entityRef of [
      'component:default/iris-classifier',
      'component:default/price-optimizer',
    ]) {
      const res = await promote({ entityRef, to: 'production' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'up-to-date',
        files: [],
        diff: '',
        message: expect.stringContaining('Already up to date'),
      });
    }
    expect(await remoteHead(production)).toBe(before);
  });

  it('pushes a review branch for a pull request on a plain Git host, once', async () => {
    const before = await remoteHead(production);
    const res = await promote({
      entityRef: 'component:default/fraud-scorer',
      to: 'production',
      strategy: 'pull-request',
    });
    expect(res.status).toBe(201);
    const result = res.body as PromotionResult;
    expect(result).toMatchObject({
      status: 'branch-pushed',
      branch: expect.stringMatching(
        /^model-deployments\/promote-fraud-scorer-to-production-[0-9a-f]{8}$/,
      ),
    });
    expect(await remoteHead(production, result.branch)).toBe(
      result.commit?.sha,
    );
    expect(await remoteHead(production)).toBe(before);

    const again = await promote({
      entityRef: 'component:default/fraud-scorer',
      to: 'production',
      strategy: 'pull-request',
    });
    expect(again.body).toMatchObject({
      status: 'branch-pushed',
      branch: result.branch,
      commit: { sha: result.commit?.sha },
      message: expect.stringContaining('Already proposed'),
    });
  });

  it.each([
    [
      { entityRef: 'component:default/churn-predictor', to: 'production' },
      /SeldonDeployment churn-predictor is Failed in 'staging', not Ready/,
    ],
    [
      {
        entityRef: 'component:default/iris-classifier',
        from: 'dev',
        to: 'staging',
      },
      /SeldonDeployment iris-classifier is out of sync with Git in 'dev'/,
    ],
    [
      {
        entityRef: 'component:default/iris-classifier',
        from: 'dev',
        to: 'production',
      },
      /skips 'staging'/,
    ],
    [
      {
        entityRef: 'component:default/iris-classifier',
        from: 'staging',
        to: 'staging',
      },
      /from and to are both 'staging'/,
    ],
    [
      {
        entityRef: 'component:default/iris-classifier',
        from: 'production',
        to: 'staging',
      },
      /promotions go forward/,
    ],
    [
      { entityRef: 'component:default/iris-classifier', to: 'qa' },
      /to: unknown environment "qa"/,
    ],
    [
      { entityRef: 'component:default/iris-classifier', to: 'Prod/../x' },
      /to: 'Prod\/..\/x' is not a DNS-1123 label/,
    ],
    [
      { entityRef: 'component:default/iris-classifier', to: 'dev' },
      /'dev' is the first stage/,
    ],
    [
      { entityRef: 'component:default/nope', to: 'production' },
      /No entity component:default\/nope/,
    ],
    [
      { entityRef: 'iris', to: 'production' },
      /entityRef: "iris" is not an entity ref/,
    ],
    [
      {
        entityRef: 'component:default/iris-classifier',
        to: 'production',
        overrides: { replicas: -1 },
      },
      /overrides.replicas/,
    ],
    [
      {
        entityRef: 'component:default/iris-classifier',
        to: 'production',
        branch: 'x',
      },
      /unknown field "branch"/,
    ],
    [
      {
        entityRef: 'component:default/iris-classifier',
        to: 'production',
        strategy: 'yolo',
      },
      /strategy/,
    ],
  ])('refuses %j and writes nothing', async (body, message) => {
    const before = await remoteHead(production);
    const res = await promote(body);
    expect([400, 404]).toContain(res.status);
    expect(res.body.error.message).toMatch(message);
    expect(await remoteHead(production)).toBe(before);
  });

  it('promotes a source that is not Ready when forced', async () => {
    const res = await promote({
      entityRef: 'component:default/churn-predictor',
      to: 'production',
      force: true,
    });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('committed');
  });

  it('applies overrides such as replicas', async () => {
    const res = await promote({
      entityRef: 'component:default/iris-classifier',
      to: 'production',
      overrides: { replicas: 5 },
    });
    expect(res.status).toBe(201);
    const clone = await cloneProduction();
    const written = JSON.parse(
      fs.readFileSync(
        path.join(clone, 'models', 'SeldonDeployment-iris-classifier.json'),
        'utf8',
      ),
    );
    expect(
      written.spec.predictors.map((p: { replicas: number }) => p.replicas),
    ).toEqual([5]);
  });

  it('keeps a history of every promotion, newest first', async () => {
    const res = await request(backend.server).get(
      '/api/model-deployments/promotions?entityRef=component:default/iris-classifier',
    );
    expect(res.status).toBe(200);
    const statuses = res.body.promotions.map(
      (p: { status: string }) => p.status,
    );
    // Commit, up to date, then the replicas override; dry runs are not recorded.
    expect(statuses).toEqual(['committed', 'up-to-date', 'committed']);
    expect(res.body.promotions[0]).toMatchObject({
      id: expect.any(String),
      entityRef: 'component:default/iris-classifier',
      from: 'staging',
      to: 'production',
      strategy: 'commit',
      actor: 'user:default/mock',
      versions: [expect.stringContaining('iris')],
      commit: { sha: expect.stringMatching(/^[0-9a-f]{40}$/) },
      createdAt: expect.any(String),
    });

    const invalid = await request(backend.server).get(
      '/api/model-deployments/promotions?entityRef=component:default/iris-classifier&limit=0',
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(
      /limit: limit must be at least 1/,
    );
  });

  it('refuses a manifest too large to be meant, and records nothing', async () => {
    const before = await remoteHead(production);
    const res = await promote({
      entityRef: 'component:default/bloated',
      to: 'production',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /The manifest of SeldonDeployment bloated is \d+ KiB; promotions write at most 1024 KiB per file/,
    );
    expect(await remoteHead(production)).toBe(before);
    const history = await request(backend.server).get(
      '/api/model-deployments/promotions?entityRef=component:default/bloated',
    );
    expect(history.body.promotions).toEqual([]);
  });

  // Last: it changes production's repository.
  it('refuses to rewrite a target file that holds several objects', async () => {
    const clone = await cloneProduction();
    const file = path.join(clone, 'models', 'Model-price-optimizer.yaml');
    fs.appendFileSync(
      file,
      '---\napiVersion: mlops.seldon.io/v1alpha1\nkind: Model\nmetadata:\n  name: price-optimizer-explainer\nspec:\n  storageUri: gs://m/explainer\n',
    );
    await git(clone, 'commit', '-qam', 'Add an explainer next to the model');
    await git(clone, 'push', '-q', 'origin', 'HEAD:main');
    const before = await remoteHead(production);
    const recorded = (
      await request(backend.server).get(
        '/api/model-deployments/promotions?entityRef=component:default/price-optimizer',
      )
    ).body.promotions.length;

    const res = await promote({
      entityRef: 'component:default/price-optimizer',
      to: 'production',
      overrides: { replicas: 3 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'The target file models/Model-price-optimizer.yaml holds 2 objects; promotions write one object per file, so split it in Git first',
    );
    expect(await remoteHead(production)).toBe(before);
    const after = await request(backend.server).get(
      '/api/model-deployments/promotions?entityRef=component:default/price-optimizer',
    );
    expect(after.body.promotions).toHaveLength(recorded);
  });

  it('answers a retried request with the same Idempotency-Key from its record, and promotes once', async () => {
    const before = await remoteHead(production);
    const history = async () =>
      (
        await request(backend.server).get(
          '/api/model-deployments/promotions?entityRef=component:default/iris-classifier',
        )
      ).body.promotions as Array<{ id: string }>;
    const recorded = (await history()).length;
    const body = {
      entityRef: 'component:default/iris-classifier',
      to: 'production',
      overrides: { replicas: 6 },
    };
    const withKey = (key: string, sent: object = body) =>
      request(backend.server)
        .post('/api/model-deployments/promotions')
        .set('Idempotency-Key', key)
        .send(sent);

    // Both at once, as a client that timed out and retried on another replica.
    const [first, second] = await Promise.all([
      withKey('retry-7f3a'),
      withKey('retry-7f3a'),
    ]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.commit).toEqual(first.body.commit);
    expect(
      [first.body, second.body].filter(answer => answer.replayed),
    ).toHaveLength(1);
    // Later, the same again: the record, nothing done.
    const third = await withKey('retry-7f3a');
    expect(third.status).toBe(201);
    expect(third.body).toMatchObject({
      id: first.body.id,
      status: 'committed',
      replayed: true,
      files: [],
      diff: '',
    });

    const commits = await execFileAsync(
      'git',
      ['log', '--format=%H', `${before}..${first.body.commit.sha}`],
      { cwd: await cloneProduction() },
    );
    expect(commits.stdout.trim().split('\n')).toEqual([first.body.commit.sha]);
    expect(await remoteHead(production)).toBe(first.body.commit.sha);
    expect(await history()).toHaveLength(recorded + 1);

    // The key belongs to that promotion.
    const other = await withKey('retry-7f3a', { ...body, to: 'staging' });
    expect(other.status).toBe(400);
    expect(other.body.error.message).toMatch(
      /Idempotency-Key: already used for another promotion/,
    );
    const malformed = await withKey('two words');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(
      /^Invalid Idempotency-Key header: must be visible ASCII characters/,
    );
    expect(await remoteHead(production)).toBe(first.body.commit.sha);
    expect(await history()).toHaveLength(recorded + 1);
  });
});

describe('promotions without the permission', () => {
  const demo = demoClusterAndGit('promotion-denied-');
  const { gitServer } = demo;
  let backend: Awaited<ReturnType<typeof startModelDeploymentsBackend>>;

  beforeAll(async () => {
    await demo.start();
    backend = await startModelDeploymentsBackend({
      clusters: [demo.clusterConfig()],
      entities: [exampleModel('iris-classifier')],
      modelDeployments: {
        gitops: { cacheDir: demo.cacheDir },
        environments: ['dev', 'staging', 'production'].map(name => ({
          name,
          cluster: 'demo',
          namespace: name,
          gitops:
            name === 'production'
              ? {
                  repoUrl: `${gitServer.url}/production-models.git`,
                  path: 'models',
                }
              : { repoUrl: `${gitServer.url}/models.git` },
        })),
      },
      features: [denyPermission('model-deployments.deployment.promote')],
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await demo.stop();
  });

  it('answers 403 and writes nothing, but still allows a dry run', async () => {
    const url = `${gitServer.url}/production-models.git`;
    const before = await remoteHead(url);
    const body = {
      entityRef: 'component:default/iris-classifier',
      to: 'production',
      strategy: 'commit',
    };
    const denied = await request(backend.server)
      .post('/api/model-deployments/promotions')
      .send(body);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      "You may not promote component:default/iris-classifier into environment 'production'",
    );
    expect(await remoteHead(url)).toBe(before);

    const dryRun = await request(backend.server)
      .post('/api/model-deployments/promotions')
      .send({ ...body, dryRun: true });
    expect(dryRun.status).toBe(200);
    expect(dryRun.body.status).toBe('dry-run');
  });
});
