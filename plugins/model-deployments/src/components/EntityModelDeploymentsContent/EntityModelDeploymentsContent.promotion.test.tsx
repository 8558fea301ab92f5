import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  EntityDeploymentsResponse,
  PromotionRecord,
  PromotionResult,
} from '@seed-mlops/plugin-model-deployments-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { entity, entityResponse, environments } from '../../__fixtures__/data';
import { BASE_URL, TestApis } from '../../__testUtils__';
import { EntityModelDeploymentsContent } from './EntityModelDeploymentsContent';

const server = setupServer();
registerMswTestHooks(server);

const gitops = { repoUrl: 'https://github.com/acme/ml-gitops.git' };
// dev and staging Ready; production restricted, so it proposes by default.
const response = {
  ...entityResponse,
  environments: entityResponse.environments.map((e, index) => ({
    ...e,
    environment: { ...environments[index], gitops },
    deployments: e.deployments.map(d => ({ ...d, phase: 'Ready' as const })),
  })),
};

const diff =
  '--- a/staging/SeldonDeployment-fraud-scorer.json\n+++ b/staging/SeldonDeployment-fraud-scorer.json\n@@ -1,3 +1,3 @@\n-        "modelUri": "gs://acme-models/fraud/v4"\n+        "modelUri": "gs://acme-models/fraud/v5"\n';

const recorded: PromotionRecord = {
  id: 'p1',
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
    url: 'https://github.com/acme/ml-gitops/commit/c0ffee0000000000000000000000000000000000',
  },
};

/**
 * The backend's answer to a dry run from dev to staging; each test
 * overrides what it is about.
 */
const dryRun = (overrides: Partial<PromotionResult> = {}): PromotionResult => ({
  kind: 'promotion',
  status: 'dry-run',
  entityRef: 'component:default/fraud-scorer',
  from: 'dev',
  to: 'staging',
  strategy: 'commit',
  message: 'Would promote fraud-scorer from dev to staging',
  files: [
    { path: 'staging/SeldonDeployment-fraud-scorer.json', change: 'update' },
  ],
  diff,
  versions: ['gs://acme-models/fraud/v5'],
  ...overrides,
});

function serve(deployments: EntityDeploymentsResponse = response) {
  const posts: Array<Record<string, unknown>> = [];
  let promotions: PromotionRecord[] = [];
  let deploymentLoads = 0;
  server.use(
    http.get(`${BASE_URL}/deployments`, () => {
      deploymentLoads += 1;
      return HttpResponse.json(deployments);
    }),
    http.get(`${BASE_URL}/promotions`, () =>
      HttpResponse.json({ entityRef: entity.metadata.name, promotions }),
    ),
    http.post(`${BASE_URL}/promotions`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      posts.push(body);
      const base = dryRun({
        from: String(body.from),
        to: String(body.to),
        strategy: (body.strategy as 'commit') ?? 'commit',
        message: `Would promote fraud-scorer (gs://acme-models/fraud/v5) from ${body.from} to ${body.to}`,
      });
      if (body.dryRun) return HttpResponse.json(base);
      promotions = [recorded];
      return HttpResponse.json(
        {
          ...base,
          status: 'committed',
          message: 'Promoted fraud-scorer from dev to staging',
          commit: recorded.commit,
        },
        { status: 201 },
      );
    }),
  );
  return { posts, loads: () => deploymentLoads };
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

describe('promoting from the deployments tab', () => {
  it('offers to promote each environment into the next, but not the last', async () => {
    serve();
    await render();
    const dev = await screen.findByRole('region', { name: 'Development' });
    expect(
      await within(dev).findByRole('button', { name: 'Promote to Staging' }),
    ).toBeEnabled();
    expect(
      within(screen.getByRole('region', { name: 'Staging' })).getByRole(
        'button',
        { name: 'Promote to Production' },
      ),
    ).toBeEnabled();
    expect(
      within(screen.getByRole('region', { name: 'Production' })).queryByRole(
        'button',
        { name: /^Promote to/ },
      ),
    ).not.toBeInTheDocument();
  });

  it('shows the diff of a dry run, then promotes and shows the result', async () => {
    const { posts, loads } = serve();
    await render();
    const dev = await screen.findByRole('region', { name: 'Development' });
    await userEvent.click(
      await within(dev).findByRole('button', { name: 'Promote to Staging' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Promote from Development to Staging',
    });
    // Whitespace is collapsed in text content.
    expect(await within(dialog).findByLabelText('Changes')).toHaveTextContent(
      '- "modelUri": "gs://acme-models/fraud/v4"+ "modelUri": "gs://acme-models/fraud/v5"',
    );
    expect(posts).toEqual([
      {
        entityRef: 'component:default/fraud-scorer',
        from: 'dev',
        to: 'staging',
        dryRun: true,
      },
    ]);
    // Staging is not restricted: a commit by default.
    expect(
      within(dialog).getByRole('radio', { name: 'Commit to the branch' }),
    ).toBeChecked();
    const loadsBefore = loads();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Promote' }),
    );
    expect(
      await within(dialog).findByText(
        'Promoted fraud-scorer from dev to staging',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('link', { name: /Commit c0ffee0/ }),
    ).toHaveAttribute('href', recorded.commit!.url);
    expect(posts[1]).toEqual({
      entityRef: 'component:default/fraud-scorer',
      from: 'dev',
      to: 'staging',
      strategy: 'commit',
    });
    // The page reloads its data and the history shows the promotion.
    await waitFor(() => expect(loads()).toBeGreaterThan(loadsBefore));
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    const history = screen.getByRole('region', { name: 'Promotions' });
    expect(
      await within(history).findByText(/dev → staging: committed/),
    ).toBeInTheDocument();
    expect(
      within(history).getByRole('link', { name: /c0ffee0/ }),
    ).toBeInTheDocument();
  });

  it('shows a promotion still being written as in progress, and why one stopped', async () => {
    serve();
    const stopped =
      "Stopped unfinished: the backend replica writing it stopped. Its commit may or may not have reached Git; see the target environment's history";
    server.use(
      http.get(`${BASE_URL}/promotions`, () =>
        HttpResponse.json({
          entityRef: entity.metadata.name,
          promotions: [
            {
              ...recorded,
              id: 'p3',
              status: 'running',
              message: 'Promoting',
              commit: undefined,
            },
            {
              ...recorded,
              id: 'p2',
              status: 'failed',
              message: stopped,
              commit: undefined,
            },
          ],
        }),
      ),
    );
    await render();
    const history = await screen.findByRole('region', { name: 'Promotions' });
    expect(
      await within(history).findByText(/dev → staging: in progress/),
    ).toBeInTheDocument();
    expect(
      within(history).getByText(/dev → staging: failed/),
    ).toBeInTheDocument();
    expect(
      within(history).getByText(new RegExp(`· ${stopped.slice(0, 40)}`)),
    ).toBeInTheDocument();
  });

  it('says why the diff is not shown when the user may not read the target', async () => {
    serve();
    const withheld =
      "You may not read environment 'staging', so its current manifests and the diff against them are not shown";
    server.use(
      http.post(`${BASE_URL}/promotions`, () =>
        HttpResponse.json(
          dryRun({ diff: '', diffWithheld: withheld, versions: [] }),
        ),
      ),
    );
    await render();
    const dev = await screen.findByRole('region', { name: 'Development' });
    await userEvent.click(
      await within(dev).findByRole('button', { name: 'Promote to Staging' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Promote from Development to Staging',
    });
    expect(
      await within(dialog).findByText(new RegExp(withheld)),
    ).toHaveTextContent(
      'Files: staging/SeldonDeployment-fraud-scorer.json (update)',
    );
    expect(within(dialog).queryByLabelText('Changes')).not.toBeInTheDocument();
  });

  it('shows what the target cluster said of the manifests, checked or not', async () => {
    serve();
    const skipped =
      "Not checked against cluster 'demo': it does not support server-side dry runs";
    server.use(
      http.post(`${BASE_URL}/promotions`, () =>
        HttpResponse.json(
          dryRun({
            files: [],
            diff: '',
            versions: [],
            clusterCheck: { state: 'skipped', message: skipped },
          }),
        ),
      ),
    );
    await render();
    const dev = await screen.findByRole('region', { name: 'Development' });
    await userEvent.click(
      await within(dev).findByRole('button', { name: 'Promote to Staging' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Promote from Development to Staging',
    });
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(skipped);
  });

  it('proposes a pull request into a restricted environment by default', async () => {
    const { posts } = serve();
    await render();
    const staging = await screen.findByRole('region', { name: 'Staging' });
    await userEvent.click(
      await within(staging).findByRole('button', {
        name: 'Promote to Production',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByLabelText('Changes');
    expect(
      within(dialog).getByRole('radio', { name: 'Open a pull request' }),
    ).toBeChecked();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Propose' }),
    );
    await waitFor(() => expect(posts).toHaveLength(2));
    expect(posts[1]).toMatchObject({
      strategy: 'pull-request',
      to: 'production',
    });
  });

  it('disables the button, saying why, when the source is not Ready', async () => {
    serve({
      ...response,
      environments: response.environments.map(e =>
        e.environment.name === 'dev'
          ? {
              ...e,
              deployments: e.deployments.map(d => ({
                ...d,
                phase: 'Progressing' as const,
              })),
            }
          : e,
      ),
    });
    await render();
    const dev = await screen.findByRole('region', { name: 'Development' });
    const button = await within(dev).findByRole('button', {
      name: 'Promote to Staging',
    });
    expect(button).toBeDisabled();
    expect(
      within(dev).getByTitle(
        'fraud-scorer is Progressing here; only Ready deployments are promoted.',
      ),
    ).toBeInTheDocument();
  });

  it('says what went wrong when the promotion is refused', async () => {
    serve();
    server.use(
      http.post(`${BASE_URL}/promotions`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message: "Promoting from 'dev' to 'production' skips 'staging'",
            },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
      ),
    );
    await render();
    const dev = await screen.findByRole('region', { name: 'Development' });
    await userEvent.click(
      await within(dev).findByRole('button', { name: 'Promote to Staging' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText(/skips 'staging'/),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Promote' }),
    ).toBeDisabled();
  });
});
