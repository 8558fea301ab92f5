import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  deployment,
  entity,
  entityResponse,
  environments,
  productionDeployment,
  notPermittedProductionResponse,
} from '../../__fixtures__/data';
import { BASE_URL, defaultHandlers, TestApis } from '../../__testUtils__';
import { EntityModelDeploymentsContent } from './EntityModelDeploymentsContent';

const server = setupServer(...defaultHandlers);
registerMswTestHooks(server);

function serve(body: unknown, status = 200) {
  const requests: URL[] = [];
  server.use(
    http.get(`${BASE_URL}/deployments`, ({ request }) => {
      requests.push(new URL(request.url));
      return HttpResponse.json(body as any, { status });
    }),
  );
  return requests;
}

function render(props: { refreshIntervalMs?: number } = {}) {
  return renderInTestApp(
    <TestApis>
      <EntityProvider entity={entity}>
        <EntityModelDeploymentsContent
          refreshIntervalMs={props.refreshIntervalMs ?? 0}
        />
      </EntityProvider>
    </TestApis>,
  );
}

describe('EntityModelDeploymentsContent', () => {
  it('shows a skeleton while the first load runs', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    server.use(
      http.get(`${BASE_URL}/deployments`, async () => {
        await gate;
        return HttpResponse.json(entityResponse);
      }),
    );
    await render();
    expect(screen.getByTestId('model-deployments-loading')).toBeInTheDocument();
    release();
    expect(
      await screen.findByRole('region', { name: 'Production' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('model-deployments-loading'),
    ).not.toBeInTheDocument();
  });

  it('shows one column per environment with status, replicas, version and traffic', async () => {
    const requests = serve(entityResponse);
    await render();

    const dev = await screen.findByRole('region', { name: 'Development' });
    const staging = screen.getByRole('region', { name: 'Staging' });
    const production = screen.getByRole('region', { name: 'Production' });

    // Columns in stage order.
    const regions = screen
      .getAllByRole('region')
      .map(region => region.getAttribute('aria-label'));
    expect(regions).toEqual([
      'Development',
      'Staging',
      'Production',
      'Promotions',
    ]);

    // The request carries the encoded entity ref.
    expect(requests[0].searchParams.get('entityRef')).toBe(
      'component:default/fraud-scorer',
    );
    expect(requests[0].search).toBe(
      '?entityRef=component%3Adefault%2Ffraud-scorer',
    );

    expect(within(dev).getByText('Ready')).toBeInTheDocument();
    expect(within(dev).getByText('dev · demo')).toBeInTheDocument();

    const failed = within(staging).getByRole('article', {
      name: 'SeldonDeployment fraud-scorer',
    });
    expect(within(failed).getByText('Failed')).toBeInTheDocument();
    expect(
      within(failed).getByText('Container classifier is in CrashLoopBackOff'),
    ).toBeInTheDocument();
    expect(within(failed).getByText('2/3 replicas')).toBeInTheDocument();
    expect(within(failed).getByText('fraud/v5')).toBeInTheDocument();
    expect(within(failed).getByText('Updated 3 days ago')).toBeInTheDocument();

    expect(within(production).getByText('restricted')).toBeInTheDocument();
    expect(within(production).getByText('main 90%')).toBeInTheDocument();
    expect(within(production).getByText('canary 10%')).toBeInTheDocument();
    expect(within(production).getByText('shadow 100%')).toBeInTheDocument();
    expect(within(production).getByText('5/5 replicas')).toBeInTheDocument();
    expect(
      within(production).getByRole('button', {
        name: 'Copy version gs://acme-models/fraud/v3',
      }),
    ).toBeInTheDocument();
    expect(
      within(production).getByRole('button', {
        name: 'Copy endpoint of fraud-scorer',
      }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Demo data')).not.toBeInTheDocument();
  });

  it("shows one environment's error while the others render", async () => {
    serve({
      ...entityResponse,
      environments: [
        entityResponse.environments[0],
        {
          environment: environments[1],
          deployments: [],
          warnings: [],
          error: {
            type: 'UNAUTHORIZED',
            message:
              'the server has asked for the client to provide credentials',
            statusCode: 401,
          },
        },
        {
          environment: environments[2],
          deployments: [productionDeployment],
          warnings: [],
          error: { type: 'TIMEOUT', message: 'timed out after 10 s' },
          syncedAt: new Date(Date.now() - 5 * 60 * 1000).toISOString(),
        },
      ],
    });
    await render();

    const staging = await screen.findByRole('region', { name: 'Staging' });
    expect(
      within(staging).getByText('Credentials rejected'),
    ).toBeInTheDocument();
    expect(
      within(staging).getByText(/provide credentials \(HTTP 401\)/),
    ).toBeInTheDocument();
    expect(within(staging).getByText('What to check:')).toBeInTheDocument();
    expect(within(staging).queryByText('Not deployed here')).toBeNull();

    const production = screen.getByRole('region', { name: 'Production' });
    expect(
      within(production).getByText('Cluster timed out'),
    ).toBeInTheDocument();
    expect(within(production).getByText('stale')).toBeInTheDocument();
    expect(
      within(production).getByText('last synced 5 minutes ago'),
    ).toBeInTheDocument();
    expect(within(production).getByText('main 90%')).toBeInTheDocument();

    const dev = screen.getByRole('region', { name: 'Development' });
    expect(within(dev).getByText('Ready')).toBeInTheDocument();
  });

  it('marks an environment the user may not see as not permitted, without a promote button', async () => {
    serve(notPermittedProductionResponse);
    await render();

    const production = await screen.findByRole('region', {
      name: 'Production',
    });
    expect(within(production).getByText('Not permitted')).toBeInTheDocument();
    expect(
      within(production).getByText(
        "You may not see this model's deployments in 'Production'.",
      ),
    ).toBeInTheDocument();
    // Not an outage, and not "not deployed": no cluster hint, no empty state.
    expect(within(production).queryByText('What to check:')).toBeNull();
    expect(within(production).queryByText('Not deployed here')).toBeNull();
    expect(within(production).queryByRole('button')).toBeNull();
  });

  it('says "Not deployed here" where the model is absent and lists warnings', async () => {
    serve({
      ...entityResponse,
      environments: [
        {
          environment: environments[0],
          deployments: [],
          warnings: [
            {
              type: 'RESOURCE_TYPE_MISSING',
              message: 'the server could not find the requested resource',
              resourceKind: 'serving.kserve.io/v1beta1 InferenceService',
              statusCode: 404,
            },
          ],
        },
        ...entityResponse.environments.slice(1),
      ],
    });
    await render();
    const dev = await screen.findByRole('region', { name: 'Development' });
    expect(within(dev).getByText('Not deployed here')).toBeInTheDocument();
    expect(
      within(dev).getByText('Some resource kinds could not be read:'),
    ).toBeInTheDocument();
    expect(
      within(dev).getByText(
        /serving.kserve.io\/v1beta1 InferenceService: Resource types not installed/,
      ),
    ).toBeInTheDocument();
  });

  it('explains the annotations when nothing is deployed anywhere', async () => {
    serve({
      ...entityResponse,
      environments: environments.map(environment => ({
        environment,
        deployments: [],
        warnings: [],
      })),
    });
    await render();
    expect(
      await screen.findByText('No model deployments found'),
    ).toBeInTheDocument();
    expect(screen.getByText('model-deployments/name')).toBeInTheDocument();
    expect(screen.getByText('model-deployments/selector')).toBeInTheDocument();
    expect(
      screen.getByText('backstage.io/kubernetes-id=<entity name>'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('region')).not.toBeInTheDocument();
  });

  it('keeps the old data on screen while refreshing, then shows the new data', async () => {
    let release: () => void = () => {};
    let calls = 0;
    server.use(
      http.get(`${BASE_URL}/deployments`, async () => {
        calls += 1;
        if (calls === 1) {
          return HttpResponse.json(entityResponse);
        }
        await new Promise<void>(resolve => {
          release = resolve;
        });
        return HttpResponse.json({
          ...entityResponse,
          environments: [
            {
              ...entityResponse.environments[0],
              deployments: [
                deployment({ environment: 'dev', phase: 'Progressing' }),
              ],
            },
            ...entityResponse.environments.slice(1),
          ],
        });
      }),
    );
    await render();
    const dev = await screen.findByRole('region', { name: 'Development' });
    expect(within(dev).getByText('Ready')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(
      await screen.findByRole('progressbar', {
        name: 'Refreshing deployments',
      }),
    ).toBeInTheDocument();
    // The old data stays while the request is in flight.
    expect(
      within(screen.getByRole('region', { name: 'Development' })).getByText(
        'Ready',
      ),
    ).toBeInTheDocument();

    release();
    await waitFor(() =>
      expect(
        within(screen.getByRole('region', { name: 'Development' })).getByText(
          'Progressing',
        ),
      ).toBeInTheDocument(),
    );
    expect(
      screen.queryByRole('progressbar', { name: 'Refreshing deployments' }),
    ).not.toBeInTheDocument();
    expect(calls).toBe(2);
  });

  it('refreshes automatically at the configured interval', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE_URL}/deployments`, () => {
        calls += 1;
        return HttpResponse.json(entityResponse);
      }),
    );
    await render({ refreshIntervalMs: 50 });
    await screen.findByRole('region', { name: 'Production' });
    await waitFor(() => expect(calls).toBeGreaterThanOrEqual(3));
  });

  it('shows an error panel when the whole request fails', async () => {
    serve(
      {
        error: {
          name: 'NotFoundError',
          message: 'No entity named fraud-scorer',
        },
        request: { method: 'GET', url: '/deployments' },
        response: { statusCode: 404 },
      },
      404,
    );
    await render();
    expect(
      await screen.findByText(/Request failed with 404 Not Found/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/No entity named fraud-scorer/).length,
    ).toBeGreaterThan(0);
    expect(
      screen.queryByRole('region', { name: 'Development' }),
    ).not.toBeInTheDocument();
  });
});
