import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  EntityDeploymentsResponse,
  PromotionRecord,
  PromotionResult,
  PromotionStrategy,
} from '@seed-mlops/plugin-model-deployments-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  entity,
  entityResponse,
  environments,
  firstCommit,
  gitopsEntityResponse,
  historyResponse,
  irisUpdateCommit,
} from '../../__fixtures__/data';
import { BASE_URL, TestApis } from '../../__testUtils__';
import { EntityModelDeploymentsContent } from './EntityModelDeploymentsContent';

const server = setupServer();
registerMswTestHooks(server);

const gitops = { repoUrl: 'https://github.com/acme/ml-gitops.git' };
// Every environment GitOps-managed; production restricted, so it proposes.
const response: EntityDeploymentsResponse = {
  ...entityResponse,
  environments: entityResponse.environments.map((e, index) => ({
    ...e,
    environment: { ...environments[index], gitops },
    deployments: e.deployments.map(d => ({ ...d, phase: 'Ready' as const })),
  })),
};

const diff =
  '--- a/staging/SeldonDeployment-fraud-scorer.json\n+++ b/staging/SeldonDeployment-fraud-scorer.json\n@@ -1,3 +1,3 @@\n-        "modelUri": "gs://acme-models/fraud/v6"\n+        "modelUri": "gs://acme-models/fraud/v5"\n';

const REPO = 'https://github.com/acme/ml-gitops';

/** A promotion into staging that reached Git; ids are UUIDs, as recorded. */
const promoted: PromotionRecord = {
  id: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  kind: 'promotion',
  entityRef: 'component:default/fraud-scorer',
  from: 'dev',
  to: 'staging',
  strategy: 'commit',
  status: 'committed',
  actor: 'user:default/priya',
  createdAt: new Date().toISOString(),
  versions: ['gs://acme-models/fraud/v5'],
  message: 'Promoted fraud-scorer from dev to staging',
  commit: {
    sha: 'c0ffee0000000000000000000000000000000000',
    url: `${REPO}/commit/c0ffee0000000000000000000000000000000000`,
  },
};

/** The rollback the backend records when one is made. */
const rolledBack: PromotionRecord = {
  ...promoted,
  id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  kind: 'rollback',
  from: 'staging',
  to: 'staging',
  restored: { commit: promoted.commit!.sha, promotionId: promoted.id },
  message: 'Rolled back fraud-scorer in staging to c0ffee0',
  commit: {
    sha: 'beef000000000000000000000000000000000000',
    url: `${REPO}/commit/beef000000000000000000000000000000000000`,
  },
};

/** The backend's answer to a rollback's dry run; tests override the rest. */
const dryRun = (overrides: Partial<PromotionResult> = {}): PromotionResult => ({
  kind: 'rollback',
  status: 'dry-run',
  entityRef: 'component:default/fraud-scorer',
  from: 'staging',
  to: 'staging',
  strategy: 'commit',
  restored: { commit: promoted.commit!.sha, promotionId: promoted.id },
  message: 'Would roll back fraud-scorer in staging to c0ffee0',
  files: [
    { path: 'staging/SeldonDeployment-fraud-scorer.json', change: 'update' },
    { path: 'staging/Model-fraud-explainer.yaml', change: 'delete' },
  ],
  diff,
  versions: ['gs://acme-models/fraud/v5'],
  ...overrides,
});

/** Serves the page; `promotions` is what GET /promotions answers at first. */
function serve(
  options: {
    deployments?: EntityDeploymentsResponse;
    promotions?: PromotionRecord[];
  } = {},
) {
  const posts: Array<Record<string, unknown>> = [];
  let promotions = options.promotions ?? [promoted];
  let deploymentLoads = 0;
  let historyLoads = 0;
  server.use(
    http.get(`${BASE_URL}/deployments`, () => {
      deploymentLoads += 1;
      return HttpResponse.json(options.deployments ?? response);
    }),
    http.get(`${BASE_URL}/promotions`, () =>
      HttpResponse.json({ entityRef: entity.metadata.name, promotions }),
    ),
    http.get(`${BASE_URL}/history`, ({ request }) => {
      historyLoads += 1;
      const environment = new URL(request.url).searchParams.get('environment');
      return HttpResponse.json({ ...historyResponse, environment });
    }),
    http.post(`${BASE_URL}/rollbacks`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      posts.push(body);
      const strategy = (body.strategy as PromotionStrategy) ?? 'commit';
      const base = dryRun({
        from: String(body.environment),
        to: String(body.environment),
        strategy,
      });
      if (body.dryRun) return HttpResponse.json(base);
      promotions = [rolledBack, ...promotions];
      return HttpResponse.json(
        strategy === 'pull-request'
          ? {
              ...base,
              status: 'pull-request-opened',
              message: 'Proposed rolling back fraud-scorer',
              pullRequest: { number: 42, url: `${REPO}/pull/42` },
            }
          : {
              ...base,
              id: rolledBack.id,
              status: 'committed',
              message: rolledBack.message,
              commit: rolledBack.commit,
            },
        { status: 201 },
      );
    }),
  );
  return {
    posts,
    loads: () => deploymentLoads,
    historyLoads: () => historyLoads,
  };
}

function render() {
  return renderInTestApp(
    <TestApis>
      <EntityProvider entity={entity}>
        <EntityModelDeploymentsContent refreshIntervalMs={0} />
      </EntityProvider>
    </TestApis>,
  );
}

/** Opens the Git history of the column named `title`. */
async function openHistory(title: string) {
  const column = await screen.findByRole('region', { name: title });
  await userEvent.click(
    within(column).getByRole('button', { name: 'Git history' }),
  );
  return within(column).findByRole('list', {
    name: `Git history in ${title}`,
  });
}

/** Clicks a "Roll back to this" button once the permission is known. */
async function clickRollback(container: HTMLElement, name: string) {
  const button = await within(container).findByRole('button', { name });
  await waitFor(() => expect(button).toBeEnabled());
  expect(button).toHaveTextContent('Roll back to this');
  await userEvent.click(button);
}

describe('rolling back from the deployments tab', () => {
  it('rolls an environment back to a promotion: dry run, diff, then the rollback', async () => {
    const { posts, loads } = serve();
    await render();
    const history = await screen.findByRole('region', { name: 'Promotions' });
    await within(history).findByText(/dev → staging: committed/);
    await clickRollback(history, 'Roll back staging to c0ffee0');

    const dialog = await screen.findByRole('dialog', {
      name: 'Roll back Staging to c0ffee0',
    });
    // Whitespace is collapsed in text content.
    expect(await within(dialog).findByLabelText('Changes')).toHaveTextContent(
      '- "modelUri": "gs://acme-models/fraud/v6"+ "modelUri": "gs://acme-models/fraud/v5"',
    );
    expect(
      within(dialog).getByText(
        'Would roll back fraud-scorer in staging to c0ffee0',
      ),
    ).toBeInTheDocument();
    expect(posts).toEqual([
      {
        entityRef: 'component:default/fraud-scorer',
        environment: 'staging',
        to: { promotionId: promoted.id },
        dryRun: true,
      },
    ]);
    // Staging is not restricted: a commit by default.
    expect(
      within(dialog).getByRole('radio', { name: 'Commit to the branch' }),
    ).toBeChecked();
    const loadsBefore = loads();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    );
    expect(
      await within(dialog).findByText(rolledBack.message),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('link', { name: /Commit beef000/ }),
    ).toHaveAttribute('href', rolledBack.commit!.url);
    expect(posts[1]).toEqual({
      entityRef: 'component:default/fraud-scorer',
      environment: 'staging',
      to: { promotionId: promoted.id },
      strategy: 'commit',
      dryRun: false,
    });
    // The page reloads its data and the list shows the rollback.
    await waitFor(() => expect(loads()).toBeGreaterThan(loadsBefore));
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(
      await within(history).findByText(/^Rolled back staging to c0ffee0/),
    ).toBeInTheDocument();
  });

  it('shows rollbacks distinctly and offers to roll back only to promotions in Git', async () => {
    serve({
      promotions: [
        rolledBack,
        {
          ...rolledBack,
          id: '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d',
          to: 'production',
          from: 'production',
          status: 'pull-request-opened',
          commit: undefined,
          pullRequest: { number: 7, url: `${REPO}/pull/7` },
        },
        {
          ...promoted,
          id: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
          status: 'failed',
          commit: undefined,
        },
        promoted,
      ],
    });
    await render();
    const history = await screen.findByRole('region', { name: 'Promotions' });
    const items = await within(history).findAllByRole('listitem');
    // The first line of each says what was done; links say they open a
    // new window to screen readers only.
    expect(
      items.map(item =>
        item
          .querySelector('p')
          ?.textContent?.replace(', Opens in a new window', ''),
      ),
    ).toEqual([
      'Rolled back staging to c0ffee0 (fraud/v5) beef000',
      'Rollback of production to c0ffee0: pull request opened (fraud/v5) #7',
      'dev → staging: failed (fraud/v5) ',
      'dev → staging: committed (fraud/v5) c0ffee0',
    ]);
    expect(within(history).queryByText(/staging → staging/)).toBeNull();
    // Only the promotion that reached Git can be rolled back to.
    expect(
      within(items[3]).getByRole('button', {
        name: 'Roll back staging to c0ffee0',
      }),
    ).toBeInTheDocument();
    for (const item of items.slice(0, 3)) {
      expect(within(item).queryByRole('button')).not.toBeInTheDocument();
    }
  });

  it('rolls back to a commit of the Git history, but not to the newest', async () => {
    const { posts, historyLoads } = serve({
      deployments: gitopsEntityResponse,
      promotions: [],
    });
    await render();
    const list = await openHistory('Development');
    const [newest, older] = within(list).getAllByRole('listitem');
    expect(within(newest).getByText(irisUpdateCommit.summary)).toBeVisible();
    expect(
      within(newest).queryByRole('button', { name: /^Roll back/ }),
    ).not.toBeInTheDocument();

    await clickRollback(older, 'Roll back dev to 9a8b7c6');
    const dialog = await screen.findByRole('dialog', {
      name: 'Roll back Development to 9a8b7c6',
    });
    await within(dialog).findByLabelText('Changes');
    expect(posts).toEqual([
      {
        entityRef: 'component:default/fraud-scorer',
        environment: 'dev',
        to: { commit: firstCommit.sha },
        dryRun: true,
      },
    ]);
    const loadsBefore = historyLoads();

    await userEvent.click(
      within(dialog).getByRole('radio', { name: 'Open a pull request' }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    );
    expect(
      await within(dialog).findByRole('link', { name: /^Pull request #42/ }),
    ).toHaveAttribute('href', `${REPO}/pull/42`);
    expect(posts[1]).toEqual({
      entityRef: 'component:default/fraud-scorer',
      environment: 'dev',
      to: { commit: firstCommit.sha },
      strategy: 'pull-request',
      dryRun: false,
    });
    // The history reloads: the rollback is a new commit.
    await waitFor(() => expect(historyLoads()).toBeGreaterThan(loadsBefore));
  });

  it('proposes a pull request by default in a restricted environment', async () => {
    serve({ deployments: gitopsEntityResponse, promotions: [] });
    await render();
    const list = await openHistory('Production');
    await clickRollback(
      within(list).getAllByRole('listitem')[1],
      'Roll back production to 9a8b7c6',
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Roll back Production to 9a8b7c6',
    });
    await within(dialog).findByLabelText('Changes');
    expect(
      within(dialog).getByRole('radio', { name: 'Open a pull request' }),
    ).toBeChecked();
  });

  it('says when the environment already is as it was, and why a diff is withheld', async () => {
    serve();
    server.use(
      http.post(`${BASE_URL}/rollbacks`, () =>
        HttpResponse.json(
          dryRun({
            status: 'up-to-date',
            message: 'fraud-scorer in staging already is as c0ffee0 left it',
            files: [],
            diff: '',
          }),
        ),
      ),
    );
    await render();
    const history = await screen.findByRole('region', { name: 'Promotions' });
    await clickRollback(history, 'Roll back staging to c0ffee0');
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(/already is as c0ffee0 left it/),
    ).toBeInTheDocument();
    expect(within(dialog).queryByRole('radio')).not.toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    ).toBeDisabled();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );

    const withheld =
      "You may not read environment 'staging', so its current manifests and the diff against them are not shown";
    server.use(
      http.post(`${BASE_URL}/rollbacks`, () =>
        HttpResponse.json(dryRun({ diff: '', diffWithheld: withheld })),
      ),
    );
    await clickRollback(history, 'Roll back staging to c0ffee0');
    const again = await screen.findByRole('dialog');
    expect(
      await within(again).findByText(new RegExp(withheld)),
    ).toHaveTextContent(
      'Files: staging/SeldonDeployment-fraud-scorer.json (update), staging/Model-fraud-explainer.yaml (delete)',
    );
    expect(within(again).queryByLabelText('Changes')).not.toBeInTheDocument();
  });

  it("shows the backend's message when the rollback is not allowed", async () => {
    serve();
    server.use(
      http.post(`${BASE_URL}/rollbacks`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: "You may not roll back 'staging'",
            },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await render();
    const history = await screen.findByRole('region', { name: 'Promotions' });
    await clickRollback(history, 'Roll back staging to c0ffee0');
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText("You may not roll back 'staging'"),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    ).toBeDisabled();
  });

  it("shows the backend's message when the rollback itself is refused", async () => {
    const { posts } = serve({ deployments: gitopsEntityResponse });
    const refused =
      "Commit 9a8b7c6 is not in the history of the model's manifests in 'dev'";
    server.use(
      http.post(`${BASE_URL}/rollbacks`, async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        posts.push(body);
        if (body.dryRun) {
          return HttpResponse.json(
            dryRun({ from: 'dev', to: 'dev', restored: undefined }),
          );
        }
        return HttpResponse.json(
          {
            error: { name: 'InputError', message: refused },
            response: { statusCode: 400 },
          },
          { status: 400 },
        );
      }),
    );
    await render();
    const list = await openHistory('Development');
    await clickRollback(
      within(list).getAllByRole('listitem')[1],
      'Roll back dev to 9a8b7c6',
    );
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByLabelText('Changes');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    );
    expect(await within(dialog).findByText(refused)).toBeInTheDocument();
    expect(posts[1]).toMatchObject({ dryRun: false });
    // The preview stays, so the user can retry or cancel.
    expect(within(dialog).getByLabelText('Changes')).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    ).toBeEnabled();
  });
});
