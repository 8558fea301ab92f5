import { ResponseError } from '@backstage/errors';
import { registerMswTestHooks } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  entityResponse,
  environments,
  fleetResponse,
  historyResponse,
} from '../__fixtures__/data';
import { BASE_URL, createTestClient } from '../__testUtils__';

const server = setupServer();
registerMswTestHooks(server);

describe('ModelDeploymentsClient', () => {
  it('reads the environments', async () => {
    server.use(
      http.get(`${BASE_URL}/environments`, () =>
        HttpResponse.json({ environments }),
      ),
    );
    await expect(createTestClient().getEnvironments()).resolves.toEqual({
      environments,
    });
  });

  it('encodes the entity ref in the deployments query', async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${BASE_URL}/deployments`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json(entityResponse);
      }),
    );
    const response = await createTestClient().getEntityDeployments(
      'component:my-team/fraud scorer&x=1',
    );
    expect(response).toEqual(entityResponse);
    expect(url?.pathname).toBe('/api/model-deployments/deployments');
    expect(url?.search).toBe(
      '?entityRef=component%3Amy-team%2Ffraud+scorer%26x%3D1',
    );
    expect(url?.searchParams.get('entityRef')).toBe(
      'component:my-team/fraud scorer&x=1',
    );
  });

  it('reads the fleet', async () => {
    server.use(
      http.get(`${BASE_URL}/fleet`, () => HttpResponse.json(fleetResponse)),
    );
    await expect(createTestClient().getFleet()).resolves.toEqual(fleetResponse);
  });

  it("asks for one page of an environment's history", async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${BASE_URL}/history`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json(historyResponse);
      }),
    );
    await expect(
      createTestClient().getHistory({
        entityRef: 'component:default/fraud-scorer',
        environment: 'dev',
        offset: 20,
        limit: 20,
      }),
    ).resolves.toEqual(historyResponse);
    expect(Object.fromEntries(url!.searchParams)).toEqual({
      entityRef: 'component:default/fraud-scorer',
      environment: 'dev',
      offset: '20',
      limit: '20',
    });
  });

  it('posts a Git refresh of one environment, or of a model, as JSON', async () => {
    let body: unknown;
    let contentType: string | null = null;
    server.use(
      http.post(`${BASE_URL}/refresh`, async ({ request }) => {
        contentType = request.headers.get('content-type');
        body = await request.json();
        return HttpResponse.json({ environments: [] });
      }),
    );
    await expect(
      createTestClient().refreshGit({ environment: 'dev' }),
    ).resolves.toEqual({
      environments: [],
    });
    expect(contentType).toBe('application/json');
    expect(body).toEqual({ environment: 'dev' });
    await createTestClient().refreshGit({
      entityRef: 'component:default/iris',
    });
    expect(body).toEqual({ entityRef: 'component:default/iris' });
    await createTestClient().refreshGit();
    expect(body).toEqual({});
  });

  it('throws a ResponseError carrying the backend error on 404', async () => {
    server.use(
      http.get(`${BASE_URL}/deployments`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: 'No entity component:default/missing',
            },
            request: { method: 'GET', url: '/deployments' },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    const error = await createTestClient()
      .getEntityDeployments('component:default/missing')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(404);
    expect(error.body.error.name).toBe('NotFoundError');
    expect(error.message).toContain('404');
  });

  it('throws a ResponseError on a non-JSON 500', async () => {
    server.use(
      http.get(
        `${BASE_URL}/fleet`,
        () => new HttpResponse('upstream exploded', { status: 500 }),
      ),
    );
    await expect(createTestClient().getFleet()).rejects.toBeInstanceOf(
      ResponseError,
    );
  });
});
