import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { act, screen, waitFor } from '@testing-library/react';
import {
  MODEL_DEPLOYMENTS_FLEET_CHANNEL,
  modelDeploymentsEntityChannel,
} from '@seed-mlops/plugin-model-deployments-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { fleetResponse } from '../../__fixtures__/data';
import {
  BASE_URL,
  TestApis,
  TestSignalApi,
  fleetPageHandlers,
} from '../../__testUtils__';
import { SIGNAL_COALESCE_MS } from '../../hooks/useLiveData';
import { ModelDeploymentsPage } from './ModelDeploymentsPage';

const server = setupServer(...fleetPageHandlers);
registerMswTestHooks(server);

const INTERVAL_MS = 50;

function sleep(ms: number) {
  return act(() => new Promise<void>(resolve => setTimeout(resolve, ms)));
}

function serveFleet() {
  const counts = { fleet: 0 };
  server.use(
    http.get(`${BASE_URL}/fleet`, () => {
      counts.fleet += 1;
      return HttpResponse.json(fleetResponse);
    }),
  );
  return counts;
}

function render(signalApi?: TestSignalApi) {
  return renderInTestApp(
    <TestApis signalApi={signalApi}>
      <ModelDeploymentsPage refreshIntervalMs={INTERVAL_MS} />
    </TestApis>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('ModelDeploymentsPage with signals', () => {
  it('loads once and does not poll while idle', async () => {
    const counts = serveFleet();
    const signals = new TestSignalApi();
    await render(signals);
    expect(await screen.findByText('3 of 3 models')).toBeInTheDocument();
    await sleep(INTERVAL_MS * 8);
    expect(counts.fleet).toBe(1);
    expect(signals.activeChannels()).toEqual([MODEL_DEPLOYMENTS_FLEET_CHANNEL]);
  });

  it.each([['deployments'], ['git'], ['promotions']])(
    'refetches once for a burst of %s signals',
    async change => {
      const counts = serveFleet();
      const signals = new TestSignalApi();
      await render(signals);
      await screen.findByText('3 of 3 models');

      act(() => {
        signals.publish(MODEL_DEPLOYMENTS_FLEET_CHANNEL, { changed: [change] });
        signals.publish(MODEL_DEPLOYMENTS_FLEET_CHANNEL, { changed: [change] });
      });
      await waitFor(() => expect(counts.fleet).toBe(2));
      await sleep(SIGNAL_COALESCE_MS * 2);
      expect(counts.fleet).toBe(2);
      expect(screen.getByText('3 of 3 models')).toBeInTheDocument();
    },
  );

  it('refetches again for a signal after the burst', async () => {
    const counts = serveFleet();
    const signals = new TestSignalApi();
    await render(signals);
    await screen.findByText('3 of 3 models');

    act(() =>
      signals.publish(MODEL_DEPLOYMENTS_FLEET_CHANNEL, {
        changed: ['deployments'],
      }),
    );
    await waitFor(() => expect(counts.fleet).toBe(2));
    await sleep(SIGNAL_COALESCE_MS * 2);
    act(() =>
      signals.publish(MODEL_DEPLOYMENTS_FLEET_CHANNEL, { changed: ['git'] }),
    );
    await waitFor(() => expect(counts.fleet).toBe(3));
  });

  it('ignores unknown changes and entity channels', async () => {
    const counts = serveFleet();
    const signals = new TestSignalApi();
    await render(signals);
    await screen.findByText('3 of 3 models');

    act(() => {
      signals.publish(MODEL_DEPLOYMENTS_FLEET_CHANNEL, { changed: ['other'] });
      signals.publish(
        modelDeploymentsEntityChannel('component:default/fraud-scorer'),
        { changed: ['deployments'] },
      );
    });
    await sleep(SIGNAL_COALESCE_MS * 2);
    expect(counts.fleet).toBe(1);
  });

  it('unsubscribes on unmount', async () => {
    serveFleet();
    const signals = new TestSignalApi();
    const { unmount } = await render(signals);
    await screen.findByText('3 of 3 models');
    expect(signals.activeChannels()).toHaveLength(1);
    unmount();
    expect(signals.activeChannels()).toEqual([]);
  });
});

describe('ModelDeploymentsPage without signals', () => {
  it('polls at the interval', async () => {
    const counts = serveFleet();
    await render();
    await screen.findByText('3 of 3 models');
    await waitFor(() => expect(counts.fleet).toBeGreaterThanOrEqual(3));
  });
});
