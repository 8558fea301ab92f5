import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  PolicyDecision,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  DemoClusterServer,
  DemoGitServer,
  NAMESPACES,
  readManifestsFromDirectory,
} from '@seed-mlops/demo-cluster';
import {
  MODEL_DEPLOYMENTS_ENVIRONMENT_RESOURCE_TYPE,
  PromotionRecord,
  modelDeploymentsForcePromotePermission,
  modelDeploymentsReadPermission,
} from '@seed-mlops/plugin-model-deployments-common';
import {
  createModelDeploymentsConditionalDecision,
  modelDeploymentsConditions,
} from '@seed-mlops/plugin-model-deployments-node';
import { execFile } from 'child_process';
import fs from 'fs';
import type { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { promisify } from 'util';
import { parseAllDocuments } from 'yaml';
import { scanResponsesForSecrets, secretScanResults } from '../testUtils';
import { TestCaller, realPermissionFeatures } from './realPermissions';
import { startModelDeploymentsBackend } from './startModelDeploymentsBackend';

/*
 * One backend for a file of the security regression suite
 * (src/security): the demo cluster seeded from examples/cluster, the demo
 * Git server serving examples/gitops, environments dev, staging and
 * production (restricted) as in permissionMatrix.test.ts, the example
 * models and their two owner groups in the catalog, and the real
 * permission backend. Plus what every table row asserts: that nothing was
 * written to Git, the cluster or the promotion records.
 */

const execFileAsync = promisify(execFile);

export const EXAMPLES = path.resolve(__dirname, '../../../../examples');
/** The demo cluster's service account token; the scanner looks for it in every response. */
export const CLUSTER_TOKEN = 'security-suite-cluster-token';
/** A password tests put in repository URLs; no response may carry it. */
export const URL_PASSWORD = 'url-password-4c1d9e';
export const OWNER_GROUP = 'group:default/ml-platform';
export const IRIS = 'component:default/iris-classifier';
export const FRAUD = 'component:default/fraud-scorer';

/**
 * The callers: those of {@link TestCaller}, and `blind-promoter`, who may
 * promote (and force) into every environment but read only unrestricted
 * ones.
 */
export type SecurityCaller = TestCaller | 'blind-promoter';

/**
 * The conditional test policy of realPermissions.ts, with two changes the
 * security suite needs: force-promote is for the model's owners only (so a
 * non-owner may promote into staging but not force it), and the
 * `blind-promoter` user, whom no policy of realPermissions.ts can express.
 */
class SecurityTestPolicy implements PermissionPolicy {
  async handle(
    query: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const caller = user?.info.userEntityRef.split('/')[1] as SecurityCaller;
    if (caller === 'allow-all') return { result: AuthorizeResult.ALLOW };
    if (caller === 'deny-all') return { result: AuthorizeResult.DENY };
    const { permission } = query;
    if (
      !isResourcePermission(
        permission,
        MODEL_DEPLOYMENTS_ENVIRONMENT_RESOURCE_TYPE,
      )
    ) {
      return { result: AuthorizeResult.DENY };
    }
    const isOwner = modelDeploymentsConditions.isModelOwner({
      claims: user?.info.ownershipEntityRefs ?? [],
    });
    const unrestricted = { not: modelDeploymentsConditions.isRestricted() };
    if (caller === 'blind-promoter') {
      return permission.name === modelDeploymentsReadPermission.name
        ? createModelDeploymentsConditionalDecision(permission, unrestricted)
        : { result: AuthorizeResult.ALLOW };
    }
    if (permission.name === modelDeploymentsForcePromotePermission.name) {
      return createModelDeploymentsConditionalDecision(permission, isOwner);
    }
    return createModelDeploymentsConditionalDecision(permission, {
      anyOf: [unrestricted, isOwner],
    });
  }
}

function readYaml(file: string): Array<Record<string, any>> {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d => d.toJS());
}

/** The example models and systems, and the groups that own iris-classifier and fraud-scorer. */
export function exampleCatalog(): Entity[] {
  const withNamespace = (e: Record<string, any>): Entity =>
    ({
      ...e,
      metadata: { namespace: 'default', ...e.metadata },
    } as Entity);
  const groups = readYaml(`${EXAMPLES}/org.yaml`).filter(
    e =>
      e.kind === 'Group' &&
      ['ml-platform', 'risk-ml'].includes(e.metadata.name),
  );
  return [...readYaml(`${EXAMPLES}/entities.yaml`), ...groups].map(
    withNamespace,
  );
}

/** The example models' entity refs. */
export function exampleModels(): string[] {
  return exampleCatalog()
    .filter(e => e.kind === 'Component')
    .map(e => `component:default/${e.metadata.name}`);
}

export const ROLE_BINDINGS = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  namespaced: true,
};

function filesBelow(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap(e =>
      e.isDirectory()
        ? filesBelow(path.join(dir, e.name))
        : [path.join(dir, e.name)],
    );
}

function manifestsIn(file: string): Array<Record<string, any>> {
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.json')) return [JSON.parse(text)];
  return parseAllDocuments(text)
    .map(d => d.toJS())
    .filter(Boolean);
}

/** The model an example object belongs to, by the rules of examples/entities.yaml. */
export function modelOf(object: Record<string, any>): string {
  const labels = object.metadata?.labels ?? {};
  return (
    labels['backstage.io/kubernetes-id'] ?? labels.app ?? object.metadata?.name
  );
}

function stringsIn(value: unknown, into: Set<string>): Set<string> {
  if (typeof value === 'string') into.add(value);
  else if (value && typeof value === 'object') {
    Object.values(value).forEach(v => stringsIn(v, into));
  }
  return into;
}

/**
 * Per model (entity name), the strings of its production objects, in the
 * cluster and in the production GitOps repository, that appear nowhere in
 * dev or staging: model URIs, endpoints, timestamps and conditions only
 * production has. A response that carries one carries production data.
 * The environment's name itself is public, and short strings would match
 * by accident.
 */
export function productionOnlyStrings(): Record<string, string[]> {
  const elsewhere = [
    ...filesBelow(`${EXAMPLES}/cluster/dev`),
    ...filesBelow(`${EXAMPLES}/cluster/staging`),
    ...filesBelow(`${EXAMPLES}/gitops/models`),
  ]
    .map(f => fs.readFileSync(f, 'utf8'))
    .join('\n');
  const byModel: Record<string, Set<string>> = {};
  for (const file of [
    ...filesBelow(`${EXAMPLES}/cluster/production`),
    ...filesBelow(`${EXAMPLES}/gitops/production-models/models`),
  ]) {
    for (const object of manifestsIn(file)) {
      stringsIn(object, (byModel[modelOf(object)] ??= new Set()));
    }
  }
  return Object.fromEntries(
    Object.entries(byModel).map(([model, strings]) => [
      model,
      [...strings].filter(
        s => s.length >= 8 && s !== 'production' && !elsewhere.includes(s),
      ),
    ]),
  );
}

/** What the suite checks was not written: Git refs, cluster objects, promotion records. */
export interface WriteSnapshot {
  refs: Record<string, string>;
  clusterCreates: number;
  clusterRevision: number;
  namespaces: string[];
  roleBindings: string[];
  promotions: Record<string, string[]>;
}

export type SecurityBackend = Awaited<ReturnType<typeof startSecurityBackend>>;

/**
 * Starts the demo cluster, the demo Git server and a backend for one test
 * file; call `stop` in afterAll.
 */
export async function startSecurityBackend() {
  const cluster = new DemoClusterServer({ token: CLUSTER_TOKEN });
  const gitServer = new DemoGitServer({ source: `${EXAMPLES}/gitops` });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'security-suite-'));
  const objects = readManifestsFromDirectory(`${EXAMPLES}/cluster`);
  cluster.apply(objects.filter(o => o.kind === 'Namespace'));
  cluster.apply(objects.filter(o => o.kind !== 'Namespace'));
  await Promise.all([cluster.start(), gitServer.start()]);
  const repos = {
    models: `${gitServer.url}/models.git`,
    production: `${gitServer.url}/production-models.git`,
  };
  const environments = [
    {
      name: 'dev',
      cluster: 'demo',
      namespace: 'dev',
      gitops: { repoUrl: repos.models, branch: 'main' },
    },
    {
      name: 'staging',
      cluster: 'demo',
      namespace: 'staging',
      gitops: { repoUrl: repos.models, branch: 'main' },
    },
    {
      name: 'production',
      cluster: 'demo',
      namespace: 'production',
      restricted: true,
      gitops: {
        repoUrl: repos.production,
        branch: 'main',
        path: 'models',
        promotionStrategy: 'commit',
      },
    },
  ];
  const backend = await startModelDeploymentsBackend({
    clusters: [{ name: 'demo', url: cluster.url, token: CLUSTER_TOKEN }],
    entities: exampleCatalog(),
    modelDeployments: {
      gitops: { cacheDir: path.join(tmp, 'cache') },
      promotion: {
        committer: { name: 'Backstage Bot', email: 'bot@example.com' },
      },
      environments,
    },
    config: { permission: { enabled: true } },
    features: realPermissionFeatures({
      ownerGroup: OWNER_GROUP,
      policy: new SecurityTestPolicy(),
    }),
  });
  // The credentials tests write into URLs are not in the config, so the
  // helper's scan would not look for them: look for them too.
  scanResponsesForSecrets(backend.server, [URL_PASSWORD, CLUSTER_TOKEN]);
  const port = (backend.server.address() as AddressInfo).port;

  const authorization = (caller: SecurityCaller | 'none') =>
    caller === 'none'
      ? mockCredentials.none.header()
      : mockCredentials.user.header(`user:default/${caller}`);
  const api = (pathAndQuery: string) => `/api/model-deployments${pathAndQuery}`;
  const get = (caller: SecurityCaller | 'none', url: string) =>
    request(backend.server)
      .get(api(url))
      .set('Authorization', authorization(caller));
  const post = (
    caller: SecurityCaller | 'none',
    url: string,
    body?: unknown,
  ) => {
    const req = request(backend.server)
      .post(api(url))
      .set('Authorization', authorization(caller));
    return body === undefined ? req : req.send(body as object);
  };
  /** A POST with the body sent exactly as given. */
  const postRaw = (
    caller: SecurityCaller,
    url: string,
    contentType: string,
    body: string,
  ) =>
    request(backend.server)
      .post(api(url))
      .set('Authorization', authorization(caller))
      .set('Content-Type', contentType)
      .send(body);

  const models = exampleModels();
  const bareRepos = fs
    .readdirSync(gitServer.repositoriesDir)
    .filter(name => name.endsWith('.git'));

  /** Every ref of every served repository, read from the served bare repositories. */
  const refs = async () => {
    const out: Record<string, string> = {};
    await Promise.all(
      bareRepos.map(async name => {
        const { stdout } = await execFileAsync('git', [
          'ls-remote',
          path.join(gitServer.repositoriesDir, name),
        ]);
        out[name] = stdout;
      }),
    );
    return out;
  };

  const promotionIds = async () => {
    const out: Record<string, string[]> = {};
    await Promise.all(
      models.map(async model => {
        const res = await get(
          'allow-all',
          `/promotions?entityRef=${encodeURIComponent(model)}&limit=100`,
        );
        if (res.status !== 200) {
          throw new Error(`GET /promotions answered ${res.status}`);
        }
        out[model] = (res.body.promotions as PromotionRecord[]).map(p => p.id);
      }),
    );
    return out;
  };

  const snapshot = async (): Promise<WriteSnapshot> => ({
    refs: await refs(),
    clusterCreates: cluster.requestCounts.create,
    clusterRevision: cluster.store.currentRevision,
    namespaces: cluster.store.list(NAMESPACES).map(n => n.metadata.name),
    roleBindings: cluster.store
      .list(ROLE_BINDINGS)
      .map(b => `${b.metadata.namespace}/${b.metadata.name}`),
    promotions: await promotionIds(),
  });

  /** Asserts nothing was written since `before`. */
  const expectNothingWritten = async (before: WriteSnapshot) => {
    expect(await snapshot()).toEqual(before);
  };

  /**
   * What an error answer showed, for comparing with {@link refusal}: its
   * status and message, whether the message is short and repeats any long
   * value of `sent`, whether the body has a stack or local paths, and what
   * was written since the snapshot the test took before.
   */
  const outcome = async (res: request.Response, sent?: unknown) => {
    const message = errorMessage(res);
    return {
      status: res.status,
      message,
      shortMessage: message.length < 500,
      repeated: stringsOf(sent)
        .filter(v => v.length > 100)
        .filter(v => message.includes(v.slice(0, 100))).length,
      stack: 'stack' in (res.body?.error ?? {}),
      // Markup of what another server answered, local paths, stack frames.
      localDetail: /<[a-z!/]|\/tmp\/|\/work\/|\n\s+at /i.test(message),
      written: await snapshot(),
    };
  };

  /** The {@link outcome} of a refusal: nothing written since `before`. */
  const refusal = (expected: {
    status: number;
    message: RegExp;
    before: WriteSnapshot;
  }) => ({
    status: expected.status,
    message: expect.stringMatching(expected.message),
    shortMessage: true,
    repeated: 0,
    stack: false,
    localDetail: false,
    written: expected.before,
  });

  return {
    backend,
    cluster,
    gitServer,
    repos,
    port,
    tmp,
    models,
    get,
    post,
    postRaw,
    authorization,
    snapshot,
    expectNothingWritten,
    outcome,
    refusal,
    scanned: () => secretScanResults.scanned,
    async stop() {
      await backend.stop();
      await Promise.all([cluster.stop(), gitServer.stop()]);
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Every string in `value`, at any depth. */
export function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') {
    return Object.values(value).flatMap(stringsOf);
  }
  return [];
}

/** `res.body.error.message`, or '' when the body is not Backstage's error format. */
export function errorMessage(res: { body: any }): string {
  return typeof res.body?.error?.message === 'string'
    ? res.body.error.message
    : '';
}
