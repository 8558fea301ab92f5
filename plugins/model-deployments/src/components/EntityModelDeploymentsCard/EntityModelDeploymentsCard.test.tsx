import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  entity,
  entityResponse,
  environments,
  notPermittedProductionResponse,
} from '../../__fixtures__/data';
import { BASE_URL, TestApis } from '../../__testUtils__';
import { EntityModelDeploymentsCard } from './EntityModelDeploymentsCard';

const server = setupServer();
registerMswTestHooks(server);

function render(deploymentsTabPath?: string) {
  return renderInTestApp(
    <TestApis
      config={{ modelDeployments: { ui: { refreshIntervalSeconds: 0 } } }}
    >
      <EntityProvider entity={entity}>
        <EntityModelDeploymentsCard deploymentsTabPath={deploymentsTabPath} />
      </EntityProvider>
    </TestApis>,
  );
}

describe('EntityModelDeploymentsCard', () => {
  it('shows one row per environment with status and version', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    server.use(
      http.get(`${BASE_URL}/deployments`, async () => {
        await gate;
        return HttpResponse.json({
          ...entityResponse,
          environments: [
            { environment: environments[0], deployments: [], warnings: [] },
            entityResponse.environments[1],
            {
              ...entityResponse.environments[2],
              deployments: [],
              error: {
                type: 'FORBIDDEN',
                message: 'forbidden',
                statusCode: 403,
              },
            },
          ],
        });
      }),
    );
    await render();
    expect(screen.getByText('Deployments')).toBeInTheDocument();
    expect(
      screen.getByTestId('model-deployments-card-loading'),
    ).toBeInTheDocument();
    release();

    const list = await screen.findByRole('list', {
      name: 'Deployments by environment',
    });
    const rows = within(list).getAllByRole('listitem');
    expect(rows.map(r => r.getAttribute('aria-label'))).toEqual([
      'Development',
      'Staging',
      'Production',
    ]);
    expect(within(rows[0]).getByText('Not deployed')).toBeInTheDocument();
    expect(within(rows[1]).getByText('Failed')).toBeInTheDocument();
    expect(within(rows[1]).getByText('fraud/v5')).toBeInTheDocument();
    expect(within(rows[2]).getByText('Access denied')).toBeInTheDocument();

    expect(
      screen.getByRole('link', { name: /View deployments/ }),
    ).toHaveAttribute('href', '/model-deployments');
  });

  it('says "Not permitted" for an environment the user may not see, with the reason on hover', async () => {
    server.use(
      http.get(`${BASE_URL}/deployments`, () =>
        HttpResponse.json(notPermittedProductionResponse),
      ),
    );
    await render();
    const production = await screen.findByRole('listitem', {
      name: 'Production',
    });
    expect(within(production).getByText('Not permitted')).toHaveAttribute(
      'title',
      "You may not see this model's deployments in 'Production'.",
    );
    expect(within(production).queryByText('Not deployed')).toBeNull();
  });

  it('marks a frozen environment, with the reason and end time as its name', async () => {
    server.use(
      http.get(`${BASE_URL}/deployments`, () =>
        HttpResponse.json({
          ...entityResponse,
          environments: entityResponse.environments.map((e, index) =>
            index === 2
              ? {
                  ...e,
                  frozen: {
                    reason: 'Black Friday',
                    until: '2026-11-30T08:00:00.000Z',
                  },
                }
              : e,
          ),
        }),
      ),
    );
    await render();
    const rows = await screen.findByRole('list', {
      name: 'Deployments by environment',
    });
    const production = within(rows).getByRole('listitem', {
      name: environments[2].title,
    });
    expect(
      within(production).getByRole('img', {
        name: /^Frozen until .*: Black Friday$/,
      }),
    ).toHaveTextContent('Frozen');
    expect(within(rows).getAllByRole('img', { name: /^Frozen/ })).toHaveLength(
      1,
    );
  });

  it('links to a custom tab path', async () => {
    server.use(
      http.get(`${BASE_URL}/deployments`, () =>
        HttpResponse.json(entityResponse),
      ),
    );
    await render('/catalog/default/component/fraud-scorer/deployments');
    await screen.findByRole('list', { name: 'Deployments by environment' });
    expect(
      screen.getByRole('link', { name: /View deployments/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/fraud-scorer/deployments',
    );
  });

  it('shows an error panel when the request fails', async () => {
    server.use(
      http.get(`${BASE_URL}/deployments`, () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'boom' } },
          { status: 500 },
        ),
      ),
    );
    await render();
    expect(
      await screen.findByText(/Request failed with 500/),
    ).toBeInTheDocument();
  });
});
