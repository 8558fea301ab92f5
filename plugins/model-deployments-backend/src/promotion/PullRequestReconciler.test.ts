import { mockServices } from '@backstage/backend-test-utils';
import { ScmIntegrations } from '@backstage/integration';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import { Environment } from '@seed-mlops/plugin-model-deployments-common';
import { MODEL_DEPLOYMENTS_EVENTS_TOPIC } from '@seed-mlops/plugin-model-deployments-node';
import { fakeGitHostApi } from '../__testUtils__/fakeGitHostApi';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { EnvironmentRegistry } from '../environments/EnvironmentRegistry';
import { ModelDeploymentsEvents } from '../events/ModelDeploymentsEvents';
import { GitOpsService } from '../gitops/GitOpsService';
import { PromotionStore } from './PromotionStore';
import { PullRequestReconciler } from './PullRequestReconciler';
import { ChangeNotice, ChangeNotifier } from '../notifications/ChangeNotifier';

// The fake answers GET /repos/{owner}/{repo}/pulls/{n} and GET
// /projects/{id}/merge_requests/{iid}, by path whatever the method.
const api = fakeGitHostApi({ githubToken: 'gh', gitlabToken: 'gl' });
const { routes } = api;

const githubPull = (n: number, state: 'open' | 'closed', merged: boolean) => ({
  status: 200,
  body: {
    number: n,
    state,
    merged,
    html_url: `https://github.com/acme/ml-gitops/pull/${n}`,
  },
});

const environments: Environment[] = [
  {
    name: 'staging',
    title: 'Staging',
    cluster: 'prod-cluster',
    namespace: 'staging',
    stage: 20,
    origin: 'config',
    gitops: {
      repoUrl: 'https://gitlab.acme.example/ml/platform/gitops.git',
      branch: 'main',
      path: 'staging',
    },
  } as Environment,
  {
    name: 'production',
    title: 'Production',
    cluster: 'prod-cluster',
    namespace: 'production',
    stage: 30,
    origin: 'config',
    gitops: {
      repoUrl: 'https://github.com/acme/ml-gitops.git',
      branch: 'main',
      path: 'production',
    },
  } as Environment,
];

const databases = createTestDatabases();
let integrations: ScmIntegrations;

beforeAll(async () => {
  integrations = await api.start();
});
afterEach(() => api.reset());
afterAll(() => api.stop());

async function setUp(databaseId: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(databaseId);
  const store = await PromotionStore.create({ getClient: async () => knex });
  const refreshed: string[] = [];
  // Only the refresh after a merge is looked at here; GitOpsService has its own tests.
  const gitops = {
    refreshEnvironment: async (env: Environment) => {
      refreshed.push(env.name);
      return undefined;
    },
  } as unknown as GitOpsService;
  const logger = mockServices.logger.mock();
  const bus = DefaultEventsService.create({ logger }).forPlugin(
    'model-deployments',
  );
  const published: unknown[] = [];
  await bus.subscribe({
    id: 'observer',
    topics: [MODEL_DEPLOYMENTS_EVENTS_TOPIC],
    onEvent: async ({ eventPayload }) => void published.push(eventPayload),
  });
  // What the requester and the owners would be told (ChangeNotifier's
  // own test sends through the real notifications backend).
  const notices: ChangeNotice[] = [];
  const reconciler = () =>
    new PullRequestReconciler({
      store,
      environments: new EnvironmentRegistry(environments),
      integrations,
      gitops,
      logger,
      events: new ModelDeploymentsEvents({ events: bus, logger }),
      notifier: {
        notify: async (notice: ChangeNotice) => void notices.push(notice),
      } as unknown as ChangeNotifier,
    });
  const opened = (to: string, number: number) =>
    store.add({
      entityRef: 'component:default/fraud-scorer',
      from: to === 'production' ? 'staging' : 'dev',
      to,
      strategy: 'pull-request',
      status: 'pull-request-opened',
      actor: 'user:default/amara',
      versions: ['gs://acme-models/fraud/v5'],
      message: `Opened pull request #${number}.`,
      branch: `model-deployments/promote-fraud-scorer-${number}`,
      pullRequest: { number, url: `https://example/pull/${number}` },
    });
  const statusOf = async (id: string) =>
    (await store.list('component:default/fraud-scorer', 100)).find(
      p => p.id === id,
    );
  return {
    store,
    reconciler,
    opened,
    statusOf,
    refreshed,
    published,
    notices,
    logger,
  };
}

describe('PullRequestReconciler', () => {
  it.each(databases.eachSupportedId())(
    'records merged and closed pull requests, leaves open ones, on %p',
    async databaseId => {
      const { reconciler, opened, statusOf, refreshed, published, notices } =
        await setUp(databaseId);
      const merged = await opened('production', 42);
      const closed = await opened('production', 43);
      const open = await opened('production', 44);
      const mergedOnGitlab = await opened('staging', 7);
      routes.set('/github/repos/acme/ml-gitops/pulls/42', () =>
        githubPull(42, 'closed', true),
      );
      routes.set('/github/repos/acme/ml-gitops/pulls/43', () =>
        githubPull(43, 'closed', false),
      );
      routes.set('/github/repos/acme/ml-gitops/pulls/44', () =>
        githubPull(44, 'open', false),
      );
      routes.set(
        `/gitlab/api/v4/projects/${encodeURIComponent(
          'ml/platform/gitops',
        )}/merge_requests/7`,
        () => ({ status: 200, body: { iid: 7, state: 'merged' } }),
      );

      await expect(reconciler().reconcile()).resolves.toBe(3);

      expect(await statusOf(merged.id)).toMatchObject({
        status: 'pull-request-merged',
        message: 'Opened pull request #42. Pull request #42 merged.',
      });
      expect(await statusOf(closed.id)).toMatchObject({
        status: 'pull-request-closed',
        message:
          'Opened pull request #43. Pull request #43 closed without merging.',
      });
      expect((await statusOf(open.id))?.status).toBe('pull-request-opened');
      expect((await statusOf(mergedOnGitlab.id))?.status).toBe(
        'pull-request-merged',
      );
      // A merge changed the desired state: those repositories are fetched now.
      expect(refreshed.sort()).toEqual(['production', 'staging']);
      expect(published).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            type: 'promotion-finished',
            promotionId: merged.id,
            status: 'pull-request-merged',
          }),
          expect.objectContaining({
            promotionId: closed.id,
            status: 'pull-request-closed',
          }),
        ]),
      );
      expect(published).toHaveLength(3);
      expect(notices).toEqual(
        expect.arrayContaining([
          {
            kind: 'promotion',
            entityRef: 'component:default/fraud-scorer',
            actor: 'user:default/amara',
            from: 'staging',
            to: 'production',
            outcome: 'pull-request-merged',
            message: 'Pull request #42 merged.',
            promotionId: merged.id,
          },
          expect.objectContaining({
            outcome: 'pull-request-closed',
            message: 'Pull request #43 closed without merging.',
            promotionId: closed.id,
          }),
        ]),
      );
      expect(notices).toHaveLength(3);

      // Next time only the open one is asked about.
      api.received.length = 0;
      await expect(reconciler().reconcile()).resolves.toBe(0);
      expect(api.paths()).toEqual(['/github/repos/acme/ml-gitops/pulls/44']);
    },
  );

  it.each(databases.eachSupportedId())(
    'settles each pull request once when two replicas look at the same time, on %p',
    async databaseId => {
      const { reconciler, opened, published } = await setUp(databaseId);
      await opened('production', 42);
      routes.set('/github/repos/acme/ml-gitops/pulls/42', () =>
        githubPull(42, 'closed', true),
      );
      const settled = await Promise.all([
        reconciler().reconcile(),
        reconciler().reconcile(),
      ]);
      expect(settled.sort()).toEqual([0, 1]);
      expect(published).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'goes on past a host that fails, and says which pull request, on %p',
    async databaseId => {
      const { reconciler, opened, statusOf, logger } = await setUp(databaseId);
      const failing = await opened('staging', 7);
      const merged = await opened('production', 42);
      routes.set(
        `/gitlab/api/v4/projects/${encodeURIComponent(
          'ml/platform/gitops',
        )}/merge_requests/7`,
        () => ({ status: 502, body: { message: 'Bad Gateway' } }),
      );
      routes.set('/github/repos/acme/ml-gitops/pulls/42', () =>
        githubPull(42, 'closed', true),
      );
      await expect(reconciler().reconcile()).resolves.toBe(1);
      expect((await statusOf(failing.id))?.status).toBe('pull-request-opened');
      expect((await statusOf(merged.id))?.status).toBe('pull-request-merged');
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Could not read pull request #7 of the promotion of component:default\/fraud-scorer into 'staging': .*502/,
        ),
      );
    },
  );
});
