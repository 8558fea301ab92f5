import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DemoClusterServer,
  DemoGitServer,
  readManifestsFromDirectory,
} from '@seed-mlops/demo-cluster';
import {
  DeploymentHistoryResponse,
  EntityDeploymentsResponse,
  FleetResponse,
  MODEL_DEPLOYMENTS_ENVIRONMENT_RESOURCE_TYPE,
  PromotionsResponse,
  modelEnvironmentResourceRef,
} from '@seed-mlops/plugin-model-deployments-common';
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { promisify } from 'util';
import {
  TestCaller,
  realPermissionFeatures,
} from '../__testUtils__/realPermissions';
import { recordingAuditor } from '../__testUtils__/recordingAuditor';
import { startModelDeploymentsBackend } from '../__testUtils__/startModelDeploymentsBackend';

const execFileAsync = promisify(execFile);
const TOKEN = 'demo-cluster-token';
const EXAMPLES = path.resolve(__dirname, '../../../../examples');
const MODEL = 'component:default/iris-classifier';
const OWNERS = 'group:default/ml-platform';

/**
 * Who asks. Users get their decisions from the conditional test policy
 * (__testUtils__/realPermissions); the
 * service principal is never put to a policy (the permission framework
 * allows plugins acting as themselves).
 */
type Caller = TestCaller | 'service';
const CALLERS: Caller[] = [
  'allow-all',
  'deny-all',
  'non-owner',
  'owner',
  'service',
];

const ENVIRONMENTS = [
  { name: 'dev', restricted: false },
  { name: 'staging', restricted: false },
  { name: 'production', restricted: true },
];
type EnvName = 'dev' | 'staging' | 'production';
const previous: Record<EnvName, EnvName | undefined> = {
  dev: undefined,
  staging: 'dev',
  production: 'staging',
};

/** What the test policy's decisions mean for one caller in one environment. */
function may(
  caller: Caller,
  permission: 'read' | 'promote' | 'force-promote' | 'create',
  env?: EnvName,
): boolean {
  if (caller === 'allow-all' || caller === 'service') return true;
  if (caller === 'deny-all' || permission === 'create') return false;
  const restricted = ENVIRONMENTS.find(e => e.name === env)!.restricted;
  return caller === 'owner' || !restricted;
}

const entity = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'model', owner, lifecycle: 'production' },
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

const authorization = (caller: Caller) =>
  caller === 'service'
    ? mockCredentials.service.header()
    : mockCredentials.user.header(`user:default/${caller}`);

async function remoteHead(url: string) {
  const { stdout } = await execFileAsync('git', [
    'ls-remote',
    url,
    'refs/heads/main',
  ]);
  return stdout.split(/\s/)[0] ?? '';
}

describe('per-environment permissions: route × caller × environment', () => {
  const cluster = new DemoClusterServer({ token: TOKEN });
  const gitServer = new DemoGitServer({ source: `${EXAMPLES}/gitops` });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'permission-matrix-'));
  const { events: auditEvents, factory: auditorFactory } = recordingAuditor();
  let backend: Awaited<ReturnType<typeof startModelDeploymentsBackend>>;
  let repos: Record<EnvName, string>;

  beforeAll(async () => {
    const objects = readManifestsFromDirectory(`${EXAMPLES}/cluster`);
    cluster.apply(objects.filter(o => o.kind === 'Namespace'));
    cluster.apply(objects.filter(o => o.kind !== 'Namespace'));
    await Promise.all([cluster.start(), gitServer.start()]);
    const models = `${gitServer.url}/models.git`;
    repos = {
      dev: models,
      staging: models,
      production: `${gitServer.url}/production-models.git`,
    };
    backend = await startModelDeploymentsBackend({
      clusters: [{ name: 'demo', url: cluster.url, token: TOKEN }],
      entities: [
        entity('iris-classifier', OWNERS),
        entity('fraud-scorer', 'group:default/risk-ml'),
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'User',
          metadata: { name: 'allow-all', namespace: 'default' },
          spec: {},
        },
      ],
      modelDeployments: {
        gitops: { cacheDir: path.join(tmp, 'cache') },
        environments: ENVIRONMENTS.map(({ name, restricted }) => ({
          name,
          cluster: 'demo',
          namespace: name,
          restricted,
          gitops:
            name === 'production'
              ? {
                  repoUrl: repos.production,
                  branch: 'main',
                  path: 'models',
                  promotionStrategy: 'commit',
                }
              : { repoUrl: models, branch: 'main' },
        })),
      },
      config: { permission: { enabled: true } },
      features: [
        ...realPermissionFeatures({ ownerGroup: OWNERS }),
        auditorFactory,
      ],
    });
    // One promotion on record, staging to production, for GET /promotions.
    const seeded = await request(backend.server)
      .post('/api/model-deployments/promotions')
      .set('Authorization', authorization('allow-all'))
      .send({ entityRef: MODEL, to: 'production' });
    if (seeded.body.status !== 'committed') {
      throw new Error(
        `Seeding a promotion failed: ${JSON.stringify(seeded.body)}`,
      );
    }
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([cluster.stop(), gitServer.stop()]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const get = (caller: Caller, url: string) =>
    request(backend.server)
      .get(`/api/model-deployments${url}`)
      .set('Authorization', authorization(caller));
  const post = (caller: Caller, url: string, body: object) =>
    request(backend.server)
      .post(`/api/model-deployments${url}`)
      .set('Authorization', authorization(caller))
      .send(body);

  const cells = CALLERS.flatMap(caller =>
    ENVIRONMENTS.map(e => [caller, e.name as EnvName] as const),
  );
  const targets = CALLERS.flatMap(caller =>
    (['staging', 'production'] as const).map(to => [caller, to] as const),
  );

  it.each(cells)(
    'GET /deployments: %s sees the model in %s only when allowed to read it',
    async (caller, env) => {
      const res = await get(caller, `/deployments?entityRef=${MODEL}`);
      expect(res.status).toBe(200);
      const column = (res.body as EntityDeploymentsResponse).environments.find(
        e => e.environment.name === env,
      )!;
      const readable = may(caller, 'read', env);
      expect({
        error: column.error?.type,
        iris: column.deployments.some(d => d.name === 'iris-classifier'),
        deployments: column.deployments.length > 0,
        git: column.git !== undefined,
      }).toEqual({
        error: readable ? undefined : 'NOT_PERMITTED',
        iris: readable,
        deployments: readable,
        git: readable,
      });
    },
  );

  it.each(cells)(
    'GET /fleet: %s gets deployments and the status of %s only when allowed to read them',
    async (caller, env) => {
      const res = await get(caller, '/fleet');
      expect(res.status).toBe(200);
      const fleet = res.body as FleetResponse;
      const iris = fleet.models.find(m => m.entityRef === MODEL)!;
      const fraud = fleet.models.find(
        m => m.entityRef === 'component:default/fraud-scorer',
      )!;
      expect(iris.deployments.some(d => d.environment === env)).toBe(
        may(caller, 'read', env),
      );
      expect(iris.notPermitted?.includes(env) ?? false).toBe(
        !may(caller, 'read', env),
      );
      // The non-owner may not read fraud-scorer in production either; the owner owns only iris.
      expect(fraud.deployments.some(d => d.environment === env)).toBe(
        caller === 'owner'
          ? may('non-owner', 'read', env)
          : may(caller, 'read', env),
      );
      const status = fleet.environments.find(e => e.environment.name === env)!;
      expect({
        notPermitted: status.error?.type === 'NOT_PERMITTED',
        git: status.git !== undefined,
      }).toEqual({
        notPermitted: !may(caller, 'read', env),
        git: may(caller, 'read', env),
      });
    },
  );

  it.each(cells)(
    'GET /history: %s in %s answers 403 unless allowed to read',
    async (caller, env) => {
      const res = await get(
        caller,
        `/history?entityRef=${MODEL}&environment=${env}`,
      );
      const readable = may(caller, 'read', env);
      expect({
        status: res.status,
        commits: (res.body.commits?.length ?? 0) > 0,
      }).toEqual({ status: readable ? 200 : 403, commits: readable });
    },
  );

  it.each(cells)(
    'POST /refresh: %s may fetch %s only when allowed to read it',
    async (caller, env) => {
      const res = await post(caller, '/refresh', {
        environment: env,
        entityRef: MODEL,
      });
      const readable = may(caller, 'read', env);
      expect({
        status: res.status,
        fetched: res.body.environments?.map(
          (e: { environment: string }) => e.environment,
        ),
      }).toEqual(
        readable
          ? { status: 200, fetched: [env] }
          : { status: 403, fetched: undefined },
      );
    },
  );

  it.each(CALLERS)(
    'POST /refresh without an environment: %s gets only readable environments back',
    async caller => {
      const res = await post(caller, '/refresh', { entityRef: MODEL });
      expect(res.status).toBe(200);
      expect(res.body.environments.map((e: any) => e.environment)).toEqual(
        ENVIRONMENTS.map(e => e.name as EnvName).filter(e =>
          may(caller, 'read', e),
        ),
      );
    },
  );

  it.each(CALLERS)(
    'GET /promotions: %s sees the staging-to-production record only when allowed to read both',
    async caller => {
      const res = await get(caller, `/promotions?entityRef=${MODEL}`);
      expect(res.status).toBe(200);
      const visible =
        may(caller, 'read', 'staging') && may(caller, 'read', 'production');
      expect(
        (res.body as PromotionsResponse).promotions.map(
          p => `${p.from}>${p.to}`,
        ),
      ).toEqual(visible ? ['staging>production'] : []);
    },
  );

  /**
   * The one audit event a write produced: a success, or a failure with the
   * error's name (NotAllowedError for a refusal).
   */
  const expectAudited = (
    eventId: string,
    before: number,
    result: 'success' | 'InputError' | 'NotAllowedError',
  ) => {
    // Other plugins audit too (the Kubernetes proxy's cluster-fetch).
    const events = auditEvents.slice(before).filter(e => e.eventId === eventId);
    expect(events.map(e => ({ outcome: e.outcome, error: e.error }))).toEqual([
      result === 'success'
        ? { outcome: 'success', error: undefined }
        : { outcome: 'fail', error: result },
    ]);
    expect(JSON.stringify(events)).not.toContain(TOKEN);
  };

  it.each(targets)(
    'POST /promotions dry run: %s into %s needs read on the source and read or promote on the target',
    async (caller, to) => {
      const before = auditEvents.length;
      const res = await post(caller, '/promotions', {
        entityRef: MODEL,
        to,
        dryRun: true,
        force: false,
      });
      const allowed =
        may(caller, 'read', previous[to]) &&
        (may(caller, 'read', to) || may(caller, 'promote', to));
      // Allowed into staging, it is still refused, for the model's own
      // reason: dev runs v3 while Git holds v4 (out of sync).
      let expected: 'success' | 'InputError' | 'NotAllowedError' =
        'NotAllowedError';
      if (allowed) expected = to === 'staging' ? 'InputError' : 'success';
      const statusOf = { success: 200, InputError: 400, NotAllowedError: 403 };
      expect(res.status).toBe(statusOf[expected]);
      expectAudited('promotion', before, expected);
    },
  );

  it.each(targets)(
    'POST /promotions forced dry run: %s into %s also needs force-promote',
    async (caller, to) => {
      const before = auditEvents.length;
      const res = await post(caller, '/promotions', {
        entityRef: MODEL,
        to,
        dryRun: true,
        force: true,
      });
      const allowed =
        may(caller, 'read', previous[to]) &&
        (may(caller, 'read', to) || may(caller, 'promote', to)) &&
        may(caller, 'force-promote', to);
      expect(res.status).toBe(allowed ? 200 : 403);
      expectAudited(
        'promotion',
        before,
        allowed ? 'success' : 'NotAllowedError',
      );
    },
  );

  it.each(targets)(
    'POST /promotions: %s into %s commits only with promote, and a 403 writes nothing',
    async (caller, to) => {
      const head = await remoteHead(repos[to]);
      const before = auditEvents.length;
      const res = await post(caller, '/promotions', {
        entityRef: MODEL,
        to,
        force: true,
      });
      const allowed =
        may(caller, 'read', previous[to]) &&
        may(caller, 'promote', to) &&
        may(caller, 'force-promote', to);
      const outcome = {
        answer: res.status === 403 ? 'forbidden' : res.body.status,
        moved: (await remoteHead(repos[to])) !== head,
      };
      // The first allowed caller commits; later ones find it up to date.
      expect(
        allowed
          ? [
              { answer: 'committed', moved: true },
              { answer: 'up-to-date', moved: false },
            ]
          : [{ answer: 'forbidden', moved: false }],
      ).toContainEqual(outcome);
      expectAudited(
        'promotion',
        before,
        allowed ? 'success' : 'NotAllowedError',
      );
    },
  );

  it.each(CALLERS)(
    'POST /environments: %s creates only with environment.create',
    async caller => {
      const before = auditEvents.length;
      const res = await post(caller, '/environments', {
        name: 'qa',
        cluster: 'demo',
        stage: 15,
        dryRun: true,
      });
      expect(res.status).toBe(may(caller, 'create') ? 200 : 403);
      expectAudited(
        'environment-create',
        before,
        may(caller, 'create') ? 'success' : 'NotAllowedError',
      );
    },
  );

  it.each(
    CALLERS.filter(c => c !== 'service').flatMap(caller =>
      ENVIRONMENTS.map(e => [caller, e.name as EnvName] as const),
    ),
  )(
    "the permission backend's answer for the UI: %s may promote into %s as the policy says",
    async (caller, env) => {
      const res = await request(backend.server)
        .post('/api/permission/authorize')
        .set('Authorization', authorization(caller))
        .send({
          items: [
            {
              id: '1',
              permission: {
                type: 'resource',
                name: 'model-deployments.deployment.promote',
                attributes: { action: 'update' },
                resourceType: MODEL_DEPLOYMENTS_ENVIRONMENT_RESOURCE_TYPE,
              },
              resourceRef: modelEnvironmentResourceRef(env, MODEL),
            },
          ],
        });
      expect(res.status).toBe(200);
      expect(res.body.items[0].result).toBe(
        may(caller, 'promote', env)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      );
    },
  );

  /** The oldest commit that changed the model in `env`, as the history shows it. */
  const oldestCommitOf = async (env: EnvName) => {
    const res = await get(
      'allow-all',
      `/history?entityRef=${MODEL}&environment=${env}`,
    );
    expect(res.status).toBe(200);
    return (res.body as DeploymentHistoryResponse).commits.at(-1)!.sha;
  };

  it.each(targets)(
    'POST /rollbacks dry run: %s in %s needs read on it',
    async (caller, env) => {
      const commit = await oldestCommitOf(env);
      const before = auditEvents.length;
      const res = await post(caller, '/rollbacks', {
        entityRef: MODEL,
        environment: env,
        to: { commit },
        dryRun: true,
      });
      const allowed = may(caller, 'read', env);
      expect(res.status).toBe(allowed ? 200 : 403);
      expectAudited(
        'rollback',
        before,
        allowed ? 'success' : 'NotAllowedError',
      );
    },
  );

  it.each(targets)(
    'POST /rollbacks: %s in %s commits only with read and promote, and a 403 writes nothing',
    async (caller, env) => {
      const commit = await oldestCommitOf(env);
      const head = await remoteHead(repos[env]);
      const before = auditEvents.length;
      const res = await post(caller, '/rollbacks', {
        entityRef: MODEL,
        environment: env,
        to: { commit },
      });
      const allowed = may(caller, 'read', env) && may(caller, 'promote', env);
      const outcome = {
        answer: res.status === 403 ? 'forbidden' : res.body.status,
        moved: (await remoteHead(repos[env])) !== head,
      };
      expect(
        allowed
          ? [
              { answer: 'committed', moved: true },
              { answer: 'up-to-date', moved: false },
            ]
          : [{ answer: 'forbidden', moved: false }],
      ).toContainEqual(outcome);
      expectAudited(
        'rollback',
        before,
        allowed ? 'success' : 'NotAllowedError',
      );
    },
  );

  it.each([
    ['GET', '/environments'],
    ['GET', '/fleet'],
    ['GET', `/deployments?entityRef=${MODEL}`],
    ['GET', `/history?entityRef=${MODEL}&environment=dev`],
    ['GET', `/promotions?entityRef=${MODEL}`],
    ['POST', '/refresh'],
    ['POST', '/promotions'],
    ['POST', '/rollbacks'],
    ['POST', '/environments'],
  ])('%s %s answers 401 without credentials', async (method, url) => {
    const req =
      method === 'GET'
        ? request(backend.server).get(`/api/model-deployments${url}`)
        : request(backend.server).post(`/api/model-deployments${url}`).send({});
    const res = await req.set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });
});
