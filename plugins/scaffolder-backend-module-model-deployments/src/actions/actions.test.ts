import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  DemoClusterServer,
  DemoGitServer,
  NAMESPACES,
  readManifestsFromDirectory,
} from '@seed-mlops/demo-cluster';
// The action is tested against the real backend plugin that does the work.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import modelDeploymentsPlugin from '@seed-mlops/plugin-model-deployments-backend';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import {
  scanResponsesForSecrets,
  secretsInConfig,
} from '@seed-mlops/plugin-model-deployments-backend/testUtils';
import { execFile } from 'child_process';
import fs from 'fs';
import { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  PromotionResult,
  RollbackRequest,
} from '@seed-mlops/plugin-model-deployments-common';
import {
  DefaultModelDeploymentsApiService,
  ModelDeploymentsApiService,
} from '@seed-mlops/plugin-model-deployments-node';
import { createEnvironmentAction } from './createEnvironment';
import { createPromoteModelAction } from './promote';
import { createRollbackModelAction } from './rollback';

const execFileAsync = promisify(execFile);
const EXAMPLES = path.resolve(__dirname, '../../../../examples');
const TOKEN = 'demo-cluster-token';
/** May read everything but promote or create nothing. */
const READ_ONLY_USER = 'user:default/read-only';

/** Allows everything, except changes by the read-only user. */
const permissions = mockServices.permissions.mock({
  authorize: async (requests, options) => decide(requests, options.credentials),
  authorizeConditional: async (requests, options) =>
    decide(requests, options.credentials),
});
function decide(
  requests: Array<{ permission: { name: string } }>,
  credentials: BackstageCredentials,
) {
  const readOnly =
    (credentials.principal as { userEntityRef?: string }).userEntityRef ===
    READ_ONLY_USER;
  return requests.map(r => ({
    result:
      readOnly && !r.permission.name.endsWith('.read')
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  })) as Array<{ result: AuthorizeResult.ALLOW | AuthorizeResult.DENY }>;
}

/** A task started by the read-only user. */
function asReadOnlyUser<T extends { getInitiatorCredentials: unknown }>(
  ctx: T,
): T {
  return {
    ...ctx,
    getInitiatorCredentials: async () => mockCredentials.user(READ_ONLY_USER),
  };
}

async function remoteHead(url: string, branch = 'main') {
  const { stdout } = await execFileAsync('git', [
    'ls-remote',
    url,
    `refs/heads/${branch}`,
  ]);
  return stdout.split(/\s/)[0] ?? '';
}

describe('model-deployments scaffolder actions, against the real backend', () => {
  const cluster = new DemoClusterServer({ token: TOKEN });
  const gitServer = new DemoGitServer({ source: `${EXAMPLES}/gitops` });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'promote-action-'));
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let action: ReturnType<typeof createPromoteModelAction>;
  let createEnvironment: ReturnType<typeof createEnvironmentAction>;
  let client: DefaultModelDeploymentsApiService;
  let production: string;
  let config: JsonObject;

  beforeAll(async () => {
    const objects = readManifestsFromDirectory(`${EXAMPLES}/cluster`);
    cluster.apply(objects.filter(o => o.kind === 'Namespace'));
    cluster.apply(objects.filter(o => o.kind !== 'Namespace'));
    await Promise.all([cluster.start(), gitServer.start()]);
    production = `${gitServer.url}/production-models.git`;
    const model = (name: string): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, namespace: 'default' },
      spec: { type: 'model', owner: 'team', lifecycle: 'production' },
    });
    backend = await startTestBackend({
      features: [
        kubernetesPlugin,
        modelDeploymentsPlugin,
        permissions.factory,
        catalogServiceMock.factory({
          entities: [
            ...['iris-classifier', 'churn-predictor'].map(model),
            // Owner groups of created environments must be catalog groups.
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Group',
              metadata: { name: 'risk-ml', namespace: 'default' },
              spec: { type: 'team', children: [] },
            },
          ],
        }),
        mockServices.rootConfig.factory({
          data: (config = {
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'demo',
                      url: cluster.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: TOKEN,
                      skipMetricsLookup: true,
                    },
                  ],
                },
              ],
            },
            modelDeployments: {
              gitops: {
                cacheDir: path.join(tmp, 'cache'),
                allowedHosts: [new URL(gitServer.url).host],
              },
              environments: [
                {
                  name: 'staging',
                  cluster: 'demo',
                  namespace: 'staging',
                  gitops: { repoUrl: `${gitServer.url}/models.git` },
                  // Checked before promoting out of staging; passes here.
                  verification: { minSoakTime: { seconds: 1 } },
                },
                {
                  name: 'production',
                  cluster: 'demo',
                  namespace: 'production',
                  restricted: true,
                  gitops: { repoUrl: production, path: 'models' },
                },
                {
                  // After production, so only production promotes into it.
                  name: 'audited',
                  cluster: 'demo',
                  namespace: 'dev',
                  gitops: {
                    repoUrl: `${gitServer.url}/models.git`,
                    path: 'dev',
                  },
                  approval: { groups: ['release-managers'], required: 2 },
                },
              ],
            },
          }),
        }),
      ],
    });
    // Every answer the actions get is checked for the cluster token (setupTests).
    scanResponsesForSecrets(
      backend.server,
      secretsInConfig(new ConfigReader(config)),
    );
    const { port } = backend.server.address() as AddressInfo;
    client = new DefaultModelDeploymentsApiService({
      discovery: {
        getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
        getExternalBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
      },
      auth: mockServices.auth(),
    });
    action = createPromoteModelAction({ client });
    createEnvironment = createEnvironmentAction({ client });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await Promise.all([cluster.stop(), gitServer.stop()]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('previews the change on a dry run and writes nothing', async () => {
    const before = await remoteHead(production);
    const ctx = {
      ...createMockActionContext({
        input: {
          entityRef: 'component:default/iris-classifier',
          to: 'production',
        },
      }),
      isDryRun: true,
    };
    await action.handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith('status', 'dry-run');
    expect(ctx.output).toHaveBeenCalledWith(
      'diff',
      expect.stringContaining('models/SeldonDeployment-iris-classifier.json'),
    );
    expect(ctx.output).toHaveBeenCalledWith('gates', [
      expect.objectContaining({ name: 'source-ready', passed: true }),
      expect.objectContaining({
        name: 'soak-time',
        passed: true,
        expected: 'at least 1 s',
      }),
    ]);
    expect(await remoteHead(production)).toBe(before);
  });

  it('says a promotion waits for approval, with its id, and writes nothing yet', async () => {
    const models = `${gitServer.url}/models.git`;
    const before = await remoteHead(models);
    const ctx = createMockActionContext({
      input: {
        entityRef: 'component:default/iris-classifier',
        from: 'production',
        to: 'audited',
      },
    });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('status', 'pending-approval');
    expect(ctx.output).toHaveBeenCalledWith(
      'message',
      'Waiting for 2 approvals from release-managers',
    );
    expect(ctx.output).toHaveBeenCalledWith('approval', {
      required: 2,
      groups: ['group:default/release-managers'],
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(ctx.output).toHaveBeenCalledWith(
      'promotionId',
      expect.stringMatching(/^[0-9a-f-]{36}$/),
    );
    expect(await remoteHead(models)).toBe(before);
  });

  it('promotes once, even when the task is retried', async () => {
    const before = await remoteHead(production);
    // The scaffolder stores checkpoint results with the task; a retry reads them.
    const checkpoints = new Map<string, unknown>();
    const run = async () => {
      const ctx = createMockActionContext({
        input: {
          entityRef: 'component:default/iris-classifier',
          to: 'production',
          strategy: 'commit' as const,
          replicas: 4,
        },
      });
      ctx.checkpoint = (async ({ key, fn }: { key: string; fn: () => any }) => {
        if (!checkpoints.has(key)) checkpoints.set(key, await fn());
        return checkpoints.get(key);
      }) as typeof ctx.checkpoint;
      await action.handler(ctx);
      return ctx;
    };
    const first = await run();
    const retried = await run();
    expect(first.output).toHaveBeenCalledWith('status', 'committed');
    const sha = await remoteHead(production);
    expect(sha).not.toBe(before);
    expect(first.output).toHaveBeenCalledWith('commitSha', sha);
    expect(retried.output).toHaveBeenCalledWith('commitSha', sha);
    // One commit on top of the previous head.
    const { stdout } = await execFileAsync('git', [
      '--git-dir',
      path.join(gitServer.repositoriesDir, 'production-models.git'),
      'rev-list',
      '--count',
      `${before}..${sha}`,
    ]);
    expect(stdout.trim()).toBe('1');
  });

  it('promotes once when a retried task lost its checkpoint: the idempotency key', async () => {
    const before = await remoteHead(production);
    // The worker died after the request and before storing the checkpoint:
    // the retry asks the backend again, with the same task step's key.
    const run = async () => {
      const ctx = createMockActionContext({
        input: {
          entityRef: 'component:default/iris-classifier',
          to: 'production',
          strategy: 'commit' as const,
          replicas: 7,
        },
      });
      await action.handler(ctx);
      return ctx;
    };
    const first = await run();
    const sha = await remoteHead(production);
    expect(sha).not.toBe(before);
    expect(first.output).toHaveBeenCalledWith('status', 'committed');
    const retried = await run();
    expect(retried.output).toHaveBeenCalledWith('status', 'committed');
    expect(retried.output).toHaveBeenCalledWith('commitSha', sha);
    expect(await remoteHead(production)).toBe(sha);
  });

  it('rolls production back to the first commit, previewing it first, as a new commit', async () => {
    const repo = path.join(gitServer.repositoriesDir, 'production-models.git');
    const git = async (...args: string[]) =>
      (await execFileAsync('git', ['--git-dir', repo, ...args])).stdout.trim();
    const first = (await git('rev-list', '--max-parents=0', 'main')).split(
      '\n',
    )[0];
    const file = 'models/SeldonDeployment-iris-classifier.json';
    const before = await remoteHead(production);
    expect(await git('show', `${before}:${file}`)).not.toBe(
      await git('show', `${first}:${file}`),
    );
    const rollback = createRollbackModelAction({ client });
    const input = {
      entityRef: 'component:default/iris-classifier',
      environment: 'production',
      commit: first.slice(0, 12),
    };
    const preview = { ...createMockActionContext({ input }), isDryRun: true };
    await rollback.handler(preview as any);
    expect(preview.output).toHaveBeenCalledWith('status', 'dry-run');
    expect(preview.output).toHaveBeenCalledWith('restoredCommit', first);
    expect(preview.output).toHaveBeenCalledWith(
      'diff',
      expect.stringContaining(`--- a/${file}`),
    );
    expect(await remoteHead(production)).toBe(before);

    const ctx = createMockActionContext({ input });
    await rollback.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('status', 'committed');
    const head = await remoteHead(production);
    expect(await git('rev-parse', `${head}~1`)).toBe(before);
    expect(await git('show', `${head}:${file}`)).toBe(
      await git('show', `${first}:${file}`),
    );
  });

  it('refuses a rollback the template user may not make, and writes nothing', async () => {
    const before = await remoteHead(production);
    const rollback = createRollbackModelAction({ client });
    const ctx = asReadOnlyUser(
      createMockActionContext({
        input: {
          entityRef: 'component:default/iris-classifier',
          environment: 'production',
          commit: before,
        },
      }),
    );
    await expect(rollback.handler(ctx)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringMatching(
        /may not promote component:default\/iris-classifier into environment 'production'/,
      ),
    });
    expect(await remoteHead(production)).toBe(before);
  });

  it('fails with an InputError naming the reason, and writes nothing', async () => {
    const before = await remoteHead(production);
    const ctx = createMockActionContext({
      input: {
        entityRef: 'component:default/churn-predictor',
        to: 'production',
      },
    });
    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(/churn-predictor is Failed in 'staging'/),
    });
    expect(await remoteHead(production)).toBe(before);
  });

  it('refuses a promotion the template user may not make, and writes nothing', async () => {
    const before = await remoteHead(production);
    const ctx = asReadOnlyUser(
      createMockActionContext({
        input: {
          entityRef: 'component:default/iris-classifier',
          to: 'production',
        },
      }),
    );
    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        "You may not promote component:default/iris-classifier into environment 'production'",
    });
    expect(await remoteHead(production)).toBe(before);
  });

  it("checks its input with the API's own schema, even on a dry run, before any request", async () => {
    const createsBefore = cluster.requestCounts.create;
    const preview = {
      ...createMockActionContext({
        input: { name: 'QA_Env', cluster: 'demo', stage: 15 },
      }),
      isDryRun: true,
    };
    await expect(
      createEnvironment.handler(preview as any),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'Invalid request body: name: "QA_Env" is not a DNS-1123 label (lower-case letters, digits and "-", at most 63 characters)',
    });
    expect(preview.output).not.toHaveBeenCalled();
    expect(cluster.requestCounts.create).toBe(createsBefore);
  });

  it('refuses to create an environment for a user without the permission', async () => {
    const createsBefore = cluster.requestCounts.create;
    const ctx = asReadOnlyUser(
      createMockActionContext({
        input: { name: 'sandbox', cluster: 'demo', stage: 5 },
      }),
    );
    await expect(createEnvironment.handler(ctx)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: 'You may not create environments',
    });
    expect(cluster.requestCounts.create).toBe(createsBefore);
  });

  it('creates an environment, previewing it first on a dry run', async () => {
    const input = {
      name: 'qa',
      cluster: 'demo',
      stage: 15,
      ownerGroups: ['group:default/risk-ml'],
      gitopsRepoUrl: `${gitServer.url}/models.git`,
    };
    const preview = {
      ...createMockActionContext({ input }),
      isDryRun: true,
    };
    await createEnvironment.handler(preview as any);
    expect(preview.output).toHaveBeenCalledWith('status', 'dry-run');
    expect(cluster.store.get(NAMESPACES, undefined, 'qa')).toBeUndefined();

    const ctx = createMockActionContext({ input });
    await createEnvironment.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('status', 'created');
    expect(ctx.output).toHaveBeenCalledWith('namespace', 'qa');
    expect(
      cluster.store.get(NAMESPACES, undefined, 'qa')?.metadata.labels,
    ).toMatchObject({
      'model-deployments.seed-mlops.io/environment': 'qa',
      'model-deployments.seed-mlops.io/stage': '15',
    });
    expect(ctx.output).toHaveBeenCalledWith(
      'commitSha',
      await remoteHead(`${gitServer.url}/models.git`),
    );
  });

  it('fails with an InputError when the namespace belongs to something else', async () => {
    const ctx = createMockActionContext({
      input: {
        name: 'kube-thing',
        namespace: 'staging',
        cluster: 'demo',
        stage: 5,
      },
    });
    await expect(createEnvironment.handler(ctx)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /'staging' on cluster 'demo' is already environment 'staging'/,
      ),
    });
  });
});

describe('model-deployments:model:rollback, with a fake of the API service', () => {
  const PROMOTION_ID = '3f1c2a9e-7b4d-4e8a-9c61-2d5f0b8e4a17';
  const RESTORED = '9b2e4c1d8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d';

  /** The API service with a rollback that answers `result`; nothing else is used. */
  function fakeApi(result: Partial<PromotionResult> = {}) {
    const rollback = jest.fn(
      async (
        request: RollbackRequest,
        _options: Parameters<ModelDeploymentsApiService['rollback']>[1],
      ): Promise<PromotionResult> => ({
        kind: 'rollback',
        status: request.dryRun ? 'dry-run' : 'committed',
        entityRef: request.entityRef,
        from: request.environment,
        to: request.environment,
        strategy: request.strategy ?? 'commit',
        message: `Rolled back ${request.entityRef} in '${request.environment}'`,
        files: [
          {
            path: 'models/SeldonDeployment-fraud-scorer.json',
            change: 'update',
          },
        ],
        diff: '--- a/models/SeldonDeployment-fraud-scorer.json\n+++ b/models/SeldonDeployment-fraud-scorer.json\n',
        versions: [],
        restored: { commit: RESTORED, promotionId: PROMOTION_ID },
        ...(request.dryRun
          ? {}
          : {
              id: 'b0c5e1f2-0000-4000-8000-000000000001',
              commit: {
                sha: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
                url: 'https://git.example.com/models/commit/aaaaaaa',
              },
            }),
        ...result,
      }),
    );
    const notUsed = async (): Promise<never> => {
      throw new Error('not used by the rollback action');
    };
    const client: ModelDeploymentsApiService = {
      getEnvironments: notUsed,
      getEntityDeployments: notUsed,
      getFleet: notUsed,
      getPromotions: notUsed,
      promote: notUsed,
      createEnvironment: notUsed,
      rollback,
    };
    return { client, rollback };
  }

  it('maps the flat inputs to the request, as the user who runs the template', async () => {
    const { client, rollback } = fakeApi();
    const ctx = createMockActionContext({
      input: {
        entityRef: 'component:default/fraud-scorer',
        environment: 'production',
        promotionId: PROMOTION_ID,
        strategy: 'commit' as const,
      },
    });
    await createRollbackModelAction({ client }).handler(ctx);
    expect(rollback).toHaveBeenCalledTimes(1);
    expect(rollback).toHaveBeenCalledWith(
      {
        entityRef: 'component:default/fraud-scorer',
        environment: 'production',
        to: { promotionId: PROMOTION_ID },
        strategy: 'commit',
      },
      {
        credentials: await ctx.getInitiatorCredentials(),
        idempotencyKey: expect.stringMatching(/^scaffolder-[0-9a-f]{64}$/),
      },
    );
  });

  it("rolls back to a commit; a template's empty fields are not given", async () => {
    const { client, rollback } = fakeApi();
    const ctx = createMockActionContext({
      input: {
        entityRef: 'component:default/fraud-scorer',
        environment: 'staging',
        promotionId: '',
        commit: '9b2e4c1',
        strategy: '' as const,
      },
    });
    await createRollbackModelAction({ client }).handler(ctx);
    expect(rollback.mock.calls[0][0]).toEqual({
      entityRef: 'component:default/fraud-scorer',
      environment: 'staging',
      to: { commit: '9b2e4c1' },
    });
  });

  it('sends dryRun true on a dry run, without a checkpoint or an idempotency key', async () => {
    const { client, rollback } = fakeApi();
    const checkpoint = jest.fn();
    const ctx = {
      ...createMockActionContext({
        input: {
          entityRef: 'component:default/fraud-scorer',
          environment: 'production',
          commit: '9b2e4c1',
        },
      }),
      checkpoint,
      isDryRun: true,
    };
    await createRollbackModelAction({ client }).handler(ctx as any);
    expect(rollback).toHaveBeenCalledWith(
      {
        entityRef: 'component:default/fraud-scorer',
        environment: 'production',
        to: { commit: '9b2e4c1' },
        dryRun: true,
      },
      { credentials: await ctx.getInitiatorCredentials() },
    );
    expect(checkpoint).not.toHaveBeenCalled();
    expect(ctx.output).toHaveBeenCalledWith('status', 'dry-run');
    expect(ctx.output).toHaveBeenCalledWith(
      'diff',
      expect.stringContaining('models/SeldonDeployment-fraud-scorer.json'),
    );
    expect(ctx.output).not.toHaveBeenCalledWith('commitSha', expect.anything());
  });

  it.each([
    [
      'both promotionId and commit',
      { promotionId: PROMOTION_ID, commit: '9b2e4c1' },
    ],
    ['neither promotionId nor commit', {}],
    [
      'neither promotionId nor commit (empty fields of a form)',
      { promotionId: '', commit: '' },
    ],
  ])(
    'rejects %s with an InputError naming them, even on a dry run, before any request',
    async (_case, target) => {
      const { client, rollback } = fakeApi();
      for (const isDryRun of [false, true]) {
        const ctx = {
          ...createMockActionContext({
            input: {
              entityRef: 'component:default/fraud-scorer',
              environment: 'production',
              ...target,
            },
          }),
          isDryRun,
        };
        const handled = createRollbackModelAction({ client }).handler(
          ctx as any,
        );
        await expect(handled).rejects.toBeInstanceOf(InputError);
        await expect(handled).rejects.toMatchObject({
          message: expect.stringMatching(
            /^Invalid input: .*\bpromotionId\b.*\bcommit\b/,
          ),
        });
        expect(ctx.output).not.toHaveBeenCalled();
      }
      expect(rollback).not.toHaveBeenCalled();
    },
  );

  it("names the template's own field when a value is not valid", async () => {
    const { client, rollback } = fakeApi();
    const ctx = createMockActionContext({
      input: {
        entityRef: 'component:default/fraud-scorer',
        environment: 'production',
        commit: 'HEAD~1',
      },
    });
    await expect(
      createRollbackModelAction({ client }).handler(ctx),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'Invalid input: commit: commit must be a commit id: 7 to 40 lower-case hexadecimal digits',
    });
    expect(rollback).not.toHaveBeenCalled();
  });

  it('sets the outputs from the result, with the commit restored', async () => {
    const { client } = fakeApi({
      status: 'pull-request-opened',
      strategy: 'pull-request',
      message:
        "Opened a pull request that rolls back fraud-scorer in 'production'",
      branch: 'model-deployments/rollback-fraud-scorer-production',
      pullRequest: {
        number: 42,
        url: 'https://git.example.com/models/pull/42',
      },
    });
    const ctx = createMockActionContext({
      input: {
        entityRef: 'component:default/fraud-scorer',
        environment: 'production',
        promotionId: PROMOTION_ID,
        strategy: 'pull-request' as const,
      },
    });
    await createRollbackModelAction({ client }).handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('status', 'pull-request-opened');
    expect(ctx.output).toHaveBeenCalledWith(
      'message',
      "Opened a pull request that rolls back fraud-scorer in 'production'",
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'diff',
      expect.stringContaining('models/SeldonDeployment-fraud-scorer.json'),
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'commitSha',
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'commitUrl',
      'https://git.example.com/models/commit/aaaaaaa',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'branch',
      'model-deployments/rollback-fraud-scorer-production',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'pullRequestUrl',
      'https://git.example.com/models/pull/42',
    );
    expect(ctx.output).toHaveBeenCalledWith('pullRequestNumber', 42);
    expect(ctx.output).toHaveBeenCalledWith('restoredCommit', RESTORED);
  });

  it('rolls back once when the task is retried, and a lost checkpoint retries with the same idempotency key', async () => {
    const { client, rollback } = fakeApi();
    const checkpoints = new Map<string, unknown>();
    const run = async (keepCheckpoints: boolean) => {
      const ctx = createMockActionContext({
        input: {
          entityRef: 'component:default/fraud-scorer',
          environment: 'production',
          promotionId: PROMOTION_ID,
        },
      });
      if (keepCheckpoints) {
        ctx.checkpoint = (async ({
          key,
          fn,
        }: {
          key: string;
          fn: () => any;
        }) => {
          if (!checkpoints.has(key)) checkpoints.set(key, await fn());
          return checkpoints.get(key);
        }) as typeof ctx.checkpoint;
      }
      await createRollbackModelAction({ client }).handler(ctx);
      return ctx;
    };
    const first = await run(true);
    const retried = await run(true);
    expect(rollback).toHaveBeenCalledTimes(1);
    expect(retried.output).toHaveBeenCalledWith(
      'commitSha',
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    );
    expect(first.output).toHaveBeenCalledWith('restoredCommit', RESTORED);
    expect(retried.output).toHaveBeenCalledWith('restoredCommit', RESTORED);
    // Without its checkpoint, the same task step asks with the same key.
    await run(false);
    expect(rollback).toHaveBeenCalledTimes(2);
    expect(rollback.mock.calls[1][1].idempotencyKey).toBe(
      rollback.mock.calls[0][1].idempotencyKey,
    );
  });

  it("passes the backend's refusal on, and sets no outputs", async () => {
    const { client, rollback } = fakeApi();
    rollback.mockRejectedValueOnce(
      new NotAllowedError(
        "You may not promote component:default/fraud-scorer into environment 'production'",
      ),
    );
    const ctx = createMockActionContext({
      input: {
        entityRef: 'component:default/fraud-scorer',
        environment: 'production',
        promotionId: PROMOTION_ID,
      },
    });
    await expect(
      createRollbackModelAction({ client }).handler(ctx),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        "You may not promote component:default/fraud-scorer into environment 'production'",
    });
    expect(ctx.output).not.toHaveBeenCalled();
  });
});
