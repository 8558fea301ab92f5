import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { act, screen, waitFor } from '@testing-library/react';
import { modelDeploymentsEntityChannel } from '@seed-mlops/plugin-model-deployments-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { entity, entityResponse } from '../../__fixtures__/data';
import { BASE_URL, TestApis, TestSignalApi } from '../../__testUtils__';
import { SIGNAL_COALESCE_MS } from '../../hooks/useLiveData';
import { EntityModelDeploymentsCard } from './EntityModelDeploymentsCard';

const server = setupServer();
registerMswTestHooks(server);

const CHANNEL = modelDeploymentsEntityChannel('component:default/fraud-scorer');
const INTERVAL_MS = 50;

function sleep(ms: number) {
  return act(() => new Promise<void>(resolve => setTimeout(resolve, ms)));
}

function serve() {
  const counts = { deployments: 0 };
  server.use(
    http.get(`${BASE_URL}/deployments`, () => {
      counts.deployments += 1;
      return HttpResponse.json(entityResponse);
    }),
  );
  return counts;
}

function render(signalApi?: TestSignalApi) {
  return renderInTestApp(
    <TestApis signalApi={signalApi}>
      <EntityProvider entity={entity}>
        <EntityModelDeploymentsCard refreshIntervalMs={INTERVAL_MS} />
      </EntityProvider>
    </TestApis>,
  );
}

describe('EntityModelDeploymentsCard with signals', () => {
  it('loads once, then refetches once per burst of relevant signals', async () => {
    const counts = serve();
    const signals = new TestSignalApi();
    const { unmount } = await render(signals);
    await screen.findByRole('list', { name: 'Deployments by environment' });
    await sleep(INTERVAL_MS * 8);
    expect(counts.deployments).toBe(1);
    expect(signals.activeChannels()).toEqual([CHANNEL]);

    act(() => signals.publish(CHANNEL, { changed: ['promotions'] }));
    await sleep(SIGNAL_COALESCE_MS * 2);
    expect(counts.deployments).toBe(1);

    act(() => {
      signals.publish(CHANNEL, { changed: ['git'] });
      signals.publish(CHANNEL, { changed: ['deployments', 'git'] });
    });
    await waitFor(() => expect(counts.deployments).toBe(2));
    await sleep(SIGNAL_COALESCE_MS * 2);
    expect(counts.deployments).toBe(2);

    unmount();
    expect(signals.activeChannels()).toEqual([]);
  });
});

describe('EntityModelDeploymentsCard without signals', () => {
  it('polls at the interval', async () => {
    const counts = serve();
    await render();
    await screen.findByRole('list', { name: 'Deployments by environment' });
    await waitFor(() => expect(counts.deployments).toBeGreaterThanOrEqual(3));
  });
});
