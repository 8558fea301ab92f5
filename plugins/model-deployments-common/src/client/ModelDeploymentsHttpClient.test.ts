import { InputError, ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ModelDeploymentsHttpClient } from './ModelDeploymentsHttpClient';

const BASE_URL = 'http://127.0.0.1:7007/api/model-deployments';

describe('ModelDeploymentsHttpClient', () => {
  const server = setupServer();
  const received: Array<{ path: string; body: unknown; key: string | null }> =
    [];
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  beforeEach(() => {
    received.length = 0;
    server.resetHandlers(
      http.post(`${BASE_URL}/:route`, async ({ request, params }) => {
        received.push({
          path: String(params.route),
          body: await request.json(),
          key: request.headers.get('Idempotency-Key'),
        });
        return HttpResponse.json({ status: 'dry-run' });
      }),
    );
  });
  const client = new ModelDeploymentsHttpClient({
    baseUrl: async () => BASE_URL,
    fetch: (input, init) => fetch(input, init),
  });

  it("refuses a bad promotion in the router's words, sending nothing", async () => {
    const error = await client
      .promote({ entityRef: 'component:default/iris', to: '', dryRun: true })
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^Invalid request body: to: /);
    expect(received).toEqual([]);
  });

  it('refuses a bad environment name, naming the field, sending nothing', async () => {
    const error = await client
      .createEnvironment({ name: 'Not_A_Label', cluster: 'demo', stage: 15 })
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/^Invalid request body: name: /);
    expect(received).toEqual([]);
  });

  it('sends a valid promotion with its idempotency key', async () => {
    await expect(
      client.promote(
        { entityRef: 'component:default/iris', to: 'staging', dryRun: true },
        { idempotencyKey: 'retry-1' },
      ),
    ).resolves.toEqual({ status: 'dry-run' });
    expect(received).toEqual([
      {
        path: 'promotions',
        body: {
          entityRef: 'component:default/iris',
          to: 'staging',
          dryRun: true,
        },
        key: 'retry-1',
      },
    ]);
  });

  it('turns an error answer into a ResponseError with the backend error', async () => {
    server.use(
      http.post(`${BASE_URL}/environments`, () =>
        HttpResponse.json(
          // What Backstage's error middleware answers.
          {
            error: {
              name: 'NotAllowedError',
              message: 'You may not create environments',
            },
            request: { method: 'POST', url: '/environments' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    const error = await client
      .createEnvironment({ name: 'qa', cluster: 'demo', stage: 15 })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.body.error).toEqual({
      name: 'NotAllowedError',
      message: 'You may not create environments',
    });
  });
});
