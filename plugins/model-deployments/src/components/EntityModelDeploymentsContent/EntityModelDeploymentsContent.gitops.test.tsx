import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  entity,
  firstCommit,
  gitopsEntityResponse,
  historyResponse,
  irisUpdateCommit,
} from '../../__fixtures__/data';
import { BASE_URL, defaultHandlers, TestApis } from '../../__testUtils__';
import { EntityModelDeploymentsContent } from './EntityModelDeploymentsContent';

const server = setupServer(...defaultHandlers);
registerMswTestHooks(server);

function render() {
  return renderInTestApp(
    <TestApis>
      <EntityProvider entity={entity}>
        <EntityModelDeploymentsContent refreshIntervalMs={0} />
      </EntityProvider>
    </TestApis>,
  );
}

function serveDeployments() {
  let calls = 0;
  server.use(
    http.get(`${BASE_URL}/deployments`, () => {
      calls += 1;
      return HttpResponse.json(gitopsEntityResponse);
    }),
  );
  return () => calls;
}

const card = (column: HTMLElement, name: string) =>
  within(column).getByRole('article', { name });

describe('EntityModelDeploymentsContent with GitOps', () => {
  it('shows the sync state of each deployment and what differs from Git', async () => {
    serveDeployments();
    await render();
    const dev = await screen.findByRole('region', { name: 'Development' });
    const drifted = card(dev, 'SeldonDeployment fraud-scorer');
    expect(within(drifted).getByText('Out of sync')).toBeInTheDocument();
    expect(
      within(drifted).getByText('dev/SeldonDeployment-fraud-scorer.json'),
    ).toBeInTheDocument();
    expect(
      within(drifted).getByText('Git vs cluster: 3 fields differ'),
    ).toBeInTheDocument();
    const differences = within(
      within(drifted).getByRole('list', { name: 'Git vs cluster' }),
    ).getAllByRole('listitem');
    expect(differences.map(item => item.textContent)).toEqual([
      'predictors[main].graph.modelUriGitgs://acme-models/fraud/v5Clustergs://acme-models/fraud/v4',
      'predictors[main].replicasGit2Cluster1',
      'predictors[main].trafficGit90Clusternot set',
    ]);

    const staging = screen.getByRole('region', { name: 'Staging' });
    expect(
      within(card(staging, 'SeldonDeployment fraud-scorer')).getByText(
        'In sync',
      ),
    ).toBeInTheDocument();
    expect(
      within(card(staging, 'Model fraud-explainer')).getByText('Not applied'),
    ).toBeInTheDocument();
    expect(
      within(card(staging, 'Model fraud-debug')).getByText('Not in Git'),
    ).toBeInTheDocument();
    // Only drift gets a diff.
    expect(
      within(staging).queryByRole('list', { name: 'Git vs cluster' }),
    ).not.toBeInTheDocument();

    const production = screen.getByRole('region', { name: 'Production' });
    const unknown = card(production, 'SeldonDeployment fraud-scorer');
    expect(within(unknown).getByText('Sync unknown')).toBeInTheDocument();
    expect(
      within(unknown).getByText(/Cannot fetch .*ECONNREFUSED/),
    ).toBeInTheDocument();
  });

  it('shows the commit that last changed each manifest, linked to the Git host', async () => {
    serveDeployments();
    await render();
    const dev = await screen.findByRole('region', { name: 'Development' });
    const drifted = card(dev, 'SeldonDeployment fraud-scorer');
    const link = within(drifted).getByRole('link', { name: /^4f2c9a1/ });
    expect(link).toHaveAttribute('href', irisUpdateCommit.url);
    expect(within(drifted).getByText('Deployment updated')).toBeInTheDocument();
    expect(
      within(drifted).getByText('fraud v5 with two replicas'),
    ).toBeInTheDocument();
    expect(within(drifted).getByText(/^Tomás Ortega ·/)).toBeInTheDocument();

    const staging = screen.getByRole('region', { name: 'Staging' });
    // A tool's commit names who asked for it.
    expect(
      within(card(staging, 'SeldonDeployment fraud-scorer')).getByText(
        /^Seldon Deploy for Amara Okafor ·/,
      ),
    ).toBeInTheDocument();
    // No manifest, no commit.
    expect(
      within(card(staging, 'Model fraud-debug')).queryByRole('link'),
    ).not.toBeInTheDocument();
  });

  it("shows each environment's Git source and what could not be read", async () => {
    serveDeployments();
    await render();
    const dev = await screen.findByRole('region', { name: 'Development' });
    expect(
      within(dev).getByTitle(
        'https://github.com/acme/ml-gitops.git (branch main), folder dev',
      ),
    ).toHaveTextContent('Git ml-gitops/dev @ 4f2c9a1fetched 1 minute ago');
    expect(
      within(dev).getByText(
        '1 file in Git could not be read; the others were:',
      ),
    ).toBeInTheDocument();
    expect(within(dev).getByText('dev/Model-broken.yaml')).toBeInTheDocument();

    const production = screen.getByRole('region', { name: 'Production' });
    expect(
      within(production).getByText('Git cannot be read'),
    ).toBeInTheDocument();
    expect(
      within(production).getByText(/Sync states are unknown until/),
    ).toBeInTheDocument();
    // The live state still shows.
    expect(within(production).getByText('Ready')).toBeInTheDocument();
  });

  it('loads the Git history of an environment on demand, page by page', async () => {
    serveDeployments();
    const requests: URL[] = [];
    server.use(
      http.get(`${BASE_URL}/history`, ({ request }) => {
        const url = new URL(request.url);
        requests.push(url);
        const offset = Number(url.searchParams.get('offset'));
        return HttpResponse.json({
          ...historyResponse,
          totalCount: 11,
          offset,
          commits:
            offset === 0
              ? Array.from({ length: 10 }, (_, i) => ({
                  ...historyResponse.commits[0],
                  sha: `${i}`.padStart(40, 'a'),
                  summary: `change ${10 - i}`,
                }))
              : [{ ...historyResponse.commits[1] }],
        });
      }),
    );
    await render();
    const dev = await screen.findByRole('region', { name: 'Development' });
    expect(requests).toHaveLength(0);

    await userEvent.click(
      within(dev).getByRole('button', { name: 'Git history' }),
    );
    const list = await within(dev).findByRole('list', {
      name: 'Git history in Development',
    });
    expect(within(list).getAllByRole('listitem')).toHaveLength(10);
    expect(Object.fromEntries(requests[0].searchParams)).toEqual({
      entityRef: 'component:default/fraud-scorer',
      environment: 'dev',
      offset: '0',
      limit: '10',
    });

    await userEvent.click(
      within(dev).getByRole('button', { name: 'Show older commits' }),
    );
    await waitFor(() =>
      expect(within(list).getAllByRole('listitem')).toHaveLength(11),
    );
    expect(requests[1].searchParams.get('offset')).toBe('10');
    expect(within(list).getByText(firstCommit.summary)).toBeInTheDocument();
    expect(
      within(dev).queryByRole('button', { name: 'Show older commits' }),
    ).not.toBeInTheDocument();

    await userEvent.click(
      within(dev).getByRole('button', { name: 'Hide Git history' }),
    );
    expect(
      within(dev).queryByRole('list', { name: 'Git history in Development' }),
    ).not.toBeInTheDocument();
  });

  it('says why a history is empty and when it cannot be loaded', async () => {
    serveDeployments();
    server.use(
      http.get(`${BASE_URL}/history`, ({ request }) => {
        const environment = new URL(request.url).searchParams.get(
          'environment',
        );
        if (environment === 'production') {
          return HttpResponse.json(
            {
              error: { name: 'Error', message: 'backend exploded' },
              response: { statusCode: 500 },
            },
            { status: 500 },
          );
        }
        return HttpResponse.json({
          ...historyResponse,
          environment,
          commits: [],
          totalCount: 0,
          message: 'No manifest of this model in ml-gitops.git (staging).',
        });
      }),
    );
    await render();
    const staging = await screen.findByRole('region', { name: 'Staging' });
    await userEvent.click(
      within(staging).getByRole('button', { name: 'Git history' }),
    );
    expect(
      await within(staging).findByText(
        'No manifest of this model in ml-gitops.git (staging).',
      ),
    ).toBeInTheDocument();

    const production = screen.getByRole('region', { name: 'Production' });
    await userEvent.click(
      within(production).getByRole('button', { name: 'Git history' }),
    );
    expect(
      await within(production).findByText(/Cannot load the Git history: .*500/),
    ).toBeInTheDocument();
  });

  it('fetches Git when the user refreshes, then reloads', async () => {
    const calls = serveDeployments();
    let refreshes = 0;
    server.use(
      http.post(`${BASE_URL}/refresh`, () => {
        refreshes += 1;
        return HttpResponse.json({ environments: [] });
      }),
    );
    await render();
    await screen.findByRole('region', { name: 'Development' });
    expect(calls()).toBe(1);
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    // Once at once, once after the fetch.
    await waitFor(() => expect(calls()).toBe(3));
    expect(refreshes).toBe(1);
  });

  it('says when fetching Git fails and keeps the data', async () => {
    serveDeployments();
    server.use(
      http.post(`${BASE_URL}/refresh`, () =>
        HttpResponse.json(
          {
            error: { name: 'Error', message: 'no route' },
            response: { statusCode: 502 },
          },
          { status: 502 },
        ),
      ),
    );
    await render();
    await screen.findByRole('region', { name: 'Development' });
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(
      await screen.findByText(/Fetching Git failed: .*502/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Development' }),
    ).toBeInTheDocument();
  });
});
