import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  DeploymentPhase,
  FleetModel,
  FleetResponse,
} from '@seed-mlops/plugin-model-deployments-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Route, Routes } from 'react-router-dom';
import {
  deployment,
  environments,
  fleetResponse,
} from '../../__fixtures__/data';
import { BASE_URL, TestApis, fleetPageHandlers } from '../../__testUtils__';
import { ModelDeploymentsPage } from './ModelDeploymentsPage';

const server = setupServer(...fleetPageHandlers);
registerMswTestHooks(server);

function serveFleet(body: unknown, status = 200, gate?: Promise<void>) {
  server.use(
    http.get(`${BASE_URL}/fleet`, async () => {
      await gate;
      return HttpResponse.json(body as any, { status });
    }),
  );
}

function render() {
  return renderInTestApp(
    <TestApis>
      <ModelDeploymentsPage refreshIntervalMs={0} />
    </TestApis>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

function bodyRows() {
  const table = screen.getByRole('table', {
    name: 'Model deployments by environment',
  });
  return within(table).getAllByRole('row').slice(1);
}

const PHASES: DeploymentPhase[] = ['Ready', 'Progressing', 'Failed', 'Unknown'];
const OWNERS = [
  'group:default/risk-ml',
  'group:default/growth-ml',
  'group:default/ml-platform',
  'group:default/search',
];

function generateFleet(count: number): FleetResponse {
  const models: FleetModel[] = [];
  for (let i = 0; i < count; i++) {
    const name = `model-${String(i).padStart(3, '0')}`;
    const envs = environments.filter((_, e) => (i + e) % 3 !== 0);
    models.push({
      entityRef: `component:default/${name}`,
      title: `Model ${String(i).padStart(3, '0')}`,
      owner: OWNERS[i % OWNERS.length],
      deployments: envs.map(env =>
        deployment({
          environment: env.name,
          name,
          kind: i % 2 === 0 ? 'SeldonDeployment' : 'InferenceService',
          phase: PHASES[i % PHASES.length],
          versions: [
            {
              component: 'predictor',
              modelUri: `s3://models/${name}/v${i % 7}`,
            },
          ],
        }),
      ),
    });
  }
  return {
    environments: environments.map(environment => ({
      environment,
      warnings: [],
    })),
    models,
  };
}

describe('ModelDeploymentsPage', () => {
  it('shows a loading state, then a matrix of models by environment', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    serveFleet(
      {
        ...fleetResponse,
        environments: [
          fleetResponse.environments[0],
          {
            ...fleetResponse.environments[1],
            error: { type: 'UNREACHABLE', message: 'getaddrinfo ENOTFOUND' },
          },
          fleetResponse.environments[2],
        ],
      },
      200,
      gate,
    );
    await render();
    expect(screen.getByText('Model deployments')).toBeInTheDocument();
    expect(
      screen.getByTestId('model-deployments-fleet-loading'),
    ).toBeInTheDocument();
    release();

    expect(await screen.findByText('3 of 3 models')).toBeInTheDocument();
    const table = screen.getByRole('table', {
      name: 'Model deployments by environment',
    });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    expect(headers[0]).toBe('Model');
    expect(headers[1]).toContain('Development');
    expect(headers[2]).toContain('Staging');
    expect(headers[2]).toContain('Cluster unreachable');

    const rows = bodyRows();
    expect(rows).toHaveLength(3);
    // Screen readers announce each cell with its model.
    expect(
      rows.map(row => within(row).getByRole('rowheader').textContent),
    ).toEqual([
      expect.stringContaining('Fraud scorer'),
      expect.stringContaining('Iris classifier'),
      expect.any(String),
    ]);
    const fraud = rows[0];
    expect(
      within(fraud).getByRole('link', { name: 'Fraud scorer' }),
    ).toHaveAttribute('href', '/catalog/default/component/fraud-scorer');
    expect(within(fraud).getByText('risk-ml')).toBeInTheDocument();
    expect(within(fraud).getByText('Failed')).toBeInTheDocument();
    expect(within(fraud).getByText('fraud/v3, fraud/v4')).toBeInTheDocument();

    const iris = rows[1];
    // Staging was never read: whether iris runs there is unknown.
    expect(within(iris).getAllByText('Not deployed')).toHaveLength(1);
    expect(
      within(iris).getByText('Unknown: Cluster unreachable'),
    ).toBeInTheDocument();
  });

  it('says which labelled namespaces were not taken as environments, and why', async () => {
    serveFleet({
      ...fleetResponse,
      skipped: [
        {
          name: 'sneaky',
          cluster: 'demo',
          namespace: 'sneaky',
          reason:
            "its GitOps folder is that of environment 'production', or inside or around it",
        },
      ],
    } satisfies FleetResponse);
    await render();
    expect(
      await screen.findByRole('alert', {
        name: 'Namespace not taken as an environment',
      }),
    ).toHaveTextContent(
      "Namespace sneaky on cluster demo is not taken as environment sneaky: its GitOps folder is that of environment 'production', or inside or around it.",
    );
  });

  it('says "Not permitted" where the user may not see a model, not "Not deployed"', async () => {
    serveFleet({
      ...fleetResponse,
      environments: [
        fleetResponse.environments[0],
        fleetResponse.environments[1],
        {
          ...fleetResponse.environments[2],
          error: {
            type: 'NOT_PERMITTED',
            message: "You may not see model deployments in 'Production'.",
          },
        },
      ],
      models: fleetResponse.models.map(model => ({
        ...model,
        deployments: model.deployments.filter(
          d => d.environment !== 'production',
        ),
        notPermitted: ['production'],
      })),
    });
    await render();
    expect(await screen.findByText('3 of 3 models')).toBeInTheDocument();
    const headers = screen.getAllByRole('columnheader').map(h => h.textContent);
    expect(headers[3]).toContain('Production');
    expect(headers[3]).toContain('Not permitted');
    for (const row of bodyRows()) {
      const cells = within(row).getAllByRole('cell');
      expect(cells[cells.length - 1]).toHaveTextContent('Not permitted');
      expect(cells[cells.length - 1]).not.toHaveTextContent('Not deployed');
    }
  });

  it('says "Unknown" and why, not "Not deployed", where an environment was never read; "Not deployed" where it was read before it failed', async () => {
    const unreachable = {
      type: 'UNREACHABLE' as const,
      message: "Cluster 'prod' could not be reached: connect ECONNREFUSED",
    };
    serveFleet({
      ...fleetResponse,
      environments: [
        fleetResponse.environments[0],
        // Read once, then lost: the last data still says what ran.
        {
          ...fleetResponse.environments[1],
          error: unreachable,
          syncedAt: '2026-11-29T01:00:00Z',
        },
        // Never read: nothing is known.
        { ...fleetResponse.environments[2], error: unreachable },
      ],
      models: fleetResponse.models.map(model => ({
        ...model,
        deployments: model.deployments.filter(d => d.environment === 'dev'),
      })),
    });
    await render();
    expect(await screen.findByText('3 of 3 models')).toBeInTheDocument();
    for (const row of bodyRows()) {
      const cells = within(row).getAllByRole('cell');
      const [staging, production] = cells.slice(-2);
      expect(staging).toHaveTextContent('Not deployed');
      expect(production).toHaveTextContent(/^\?Unknown: /);
      expect(production).not.toHaveTextContent('Not deployed');
    }
  });

  it('narrows the rows with the filters', async () => {
    serveFleet(fleetResponse);
    await render();
    await screen.findByText('3 of 3 models');

    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Owner' }),
      'group:default/growth-ml',
    );
    expect(screen.getByText('1 of 3 models')).toBeInTheDocument();
    expect(
      within(bodyRows()[0]).getByRole('link', { name: 'Recommender' }),
    ).toBeInTheDocument();

    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Owner' }),
      '',
    );
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Status' }),
      'Failed',
    );
    expect(screen.getByText('1 of 3 models')).toBeInTheDocument();
    expect(
      within(bodyRows()[0]).getByRole('link', { name: 'Fraud scorer' }),
    ).toBeInTheDocument();

    // Hiding the staging column drops the failed staging deployment from scope.
    await userEvent.click(screen.getByRole('checkbox', { name: 'Staging' }));
    expect(screen.getByText('0 of 3 models')).toBeInTheDocument();
    expect(screen.getByText('No models match the filters')).toBeInTheDocument();

    await userEvent.click(
      screen.getAllByRole('button', { name: 'Clear filters' })[0],
    );
    expect(screen.getByText('3 of 3 models')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('checkbox', { name: 'Staging' }));
    const headers = within(screen.getByRole('table'))
      .getAllByRole('columnheader')
      .map(h => h.textContent ?? '');
    expect(headers.some(h => h.includes('Staging'))).toBe(false);
    expect(headers.some(h => h.includes('Production'))).toBe(true);

    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Resource kind' }),
      'Pipeline',
    );
    expect(screen.getByText('1 of 3 models')).toBeInTheDocument();

    await userEvent.click(
      screen.getAllByRole('button', { name: 'Clear filters' })[0],
    );
    await userEvent.type(
      screen.getByRole('searchbox', { name: 'Search' }),
      'iris/v3',
    );
    expect(screen.getByText('1 of 3 models')).toBeInTheDocument();
    expect(
      within(bodyRows()[0]).getByRole('link', { name: 'Iris classifier' }),
    ).toBeInTheDocument();
  });

  it('flags deployments that differ from Git and filters by sync state', async () => {
    const [fraud, iris, recommender] = fleetResponse.models;
    serveFleet({
      ...fleetResponse,
      environments: fleetResponse.environments.map(status => ({
        ...status,
        git: {
          repoUrl: 'https://github.com/acme/ml-gitops.git',
          path: status.environment.name,
          fileErrors: [],
          ...(status.environment.name === 'production'
            ? { error: 'Cannot fetch https://github.com/acme/ml-gitops.git' }
            : { commit: 'a'.repeat(40) }),
        },
      })),
      models: [
        {
          ...fraud,
          deployments: fraud.deployments.map(d => ({
            ...d,
            sync: { state: 'InSync' as const },
          })),
        },
        {
          ...iris,
          deployments: iris.deployments.map(d => ({
            ...d,
            sync: {
              state: 'OutOfSync' as const,
              differences: [{ field: 'replicas', git: 2, cluster: 1 }],
            },
          })),
        },
        recommender,
      ],
    } satisfies FleetResponse);
    await render();
    await screen.findByText('3 of 3 models');
    // In sync stays quiet; drift shows.
    expect(
      within(screen.getByRole('table')).queryByText('In sync'),
    ).not.toBeInTheDocument();
    expect(within(bodyRows()[1]).getByText('Out of sync')).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('columnheader', { name: /Production/ }),
      ).getByText('Git cannot be read'),
    ).toBeInTheDocument();

    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Git sync' }),
      'OutOfSync',
    );
    expect(screen.getByText('1 of 3 models')).toBeInTheDocument();
    expect(
      within(bodyRows()[0]).getByRole('link', { name: 'Iris classifier' }),
    ).toBeInTheDocument();
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Git sync' }),
      'InSync',
    );
    expect(screen.getByText('1 of 3 models')).toBeInTheDocument();
    expect(
      within(bodyRows()[0]).getByRole('link', { name: 'Fraud scorer' }),
    ).toBeInTheDocument();
  });

  it('offers no Git sync filter without GitOps environments', async () => {
    serveFleet(fleetResponse);
    await render();
    await screen.findByText('3 of 3 models');
    expect(
      screen.queryByRole('combobox', { name: 'Git sync' }),
    ).not.toBeInTheDocument();
  });

  it('renders 200 models a page at a time, and filters them', async () => {
    serveFleet(generateFleet(200));
    await render();
    expect(await screen.findByText('200 of 200 models')).toBeInTheDocument();
    const firstLinks = () =>
      bodyRows().map(r => within(r).getByRole('link').textContent);
    expect(bodyRows()).toHaveLength(50);
    expect(firstLinks()[0]).toBe('Model 000');
    expect(screen.getByText('1–50 of 200')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(screen.getByText('51–100 of 200')).toBeInTheDocument();
    expect(bodyRows()).toHaveLength(50);
    expect(firstLinks()[0]).toBe('Model 050');

    // A filter starts again from the first page; one page needs no pager.
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Owner' }),
      'group:default/search',
    );
    expect(screen.getByText('50 of 200 models')).toBeInTheDocument();
    expect(bodyRows()).toHaveLength(50);
    expect(firstLinks()[0]).toBe('Model 003');
    expect(
      screen.queryByRole('button', { name: 'Next page' }),
    ).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('searchbox', { name: 'Search' }));
    await userEvent.paste('model-19');
    // model-190 … model-199 owned by search: i % 4 === 3 → 191, 195, 199.
    await waitFor(() =>
      expect(screen.getByText('3 of 200 models')).toBeInTheDocument(),
    );
    expect(firstLinks()).toEqual(['Model 191', 'Model 195', 'Model 199']);
  }, 20_000);

  it('shows as many models per page as the app or the user asks', async () => {
    serveFleet(generateFleet(120));
    await renderInTestApp(
      <TestApis>
        <ModelDeploymentsPage refreshIntervalMs={0} pageSize={25} />
      </TestApis>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByText('120 of 120 models')).toBeInTheDocument();
    expect(bodyRows()).toHaveLength(25);
    expect(screen.getByText('1–25 of 120')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: /Models per page/ }),
    );
    await userEvent.click(screen.getByRole('option', { name: '250' }));
    expect(bodyRows()).toHaveLength(120);
    expect(
      screen.queryByRole('button', { name: 'Next page' }),
    ).not.toBeInTheDocument();
  }, 20_000);

  it('shows an empty state when there are no models', async () => {
    serveFleet({ ...fleetResponse, models: [] });
    await render();
    expect(await screen.findByText('No models found')).toBeInTheDocument();
  });

  it('shows what the app puts in its route above the fleet', async () => {
    serveFleet(fleetResponse);
    await renderInTestApp(
      <TestApis>
        <Routes>
          <Route
            path="/"
            element={<ModelDeploymentsPage refreshIntervalMs={0} />}
          >
            <Route index element={<p>Notice from the app</p>} />
          </Route>
        </Routes>
      </TestApis>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByText('Notice from the app')).toBeInTheDocument();
    expect(
      await screen.findByRole('table', {
        name: 'Model deployments by environment',
      }),
    ).toBeInTheDocument();
  });

  it('shows an error panel when the request fails', async () => {
    serveFleet(
      { error: { name: 'Error', message: 'database unavailable' } },
      500,
    );
    await render();
    expect(
      await screen.findByText(/Request failed with 500/),
    ).toBeInTheDocument();
  });
});
