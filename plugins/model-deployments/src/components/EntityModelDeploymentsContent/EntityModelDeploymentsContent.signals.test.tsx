import { EntityProvider } from '@backstage/plugin-catalog-react';
import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { act, screen, waitFor } from '@testing-library/react';
import { modelDeploymentsEntityChannel } from '@seed-mlops/plugin-model-deployments-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { entity, entityResponse } from '../../__fixtures__/data';
import { BASE_URL, TestApis, TestSignalApi } from '../../__testUtils__';
import { SIGNAL_COALESCE_MS } from '../../hooks/useLiveData';
import { EntityModelDeploymentsContent } from './EntityModelDeploymentsContent';

const server = setupServer();
registerMswTestHooks(server);

const CHANNEL = modelDeploymentsEntityChannel('component:default/fraud-scorer');
/** The polling interval the tests pass; signals must make it unused. */
const INTERVAL_MS = 50;

/** Waits in real time, as the polling test does, for timers to run. */
function sleep(ms: number) {
  return act(() => new Promise<void>(resolve => setTimeout(resolve, ms)));
}

function serve() {
  const counts = { deployments: 0, promotions: 0 };
  server.use(
    http.get(`${BASE_URL}/deployments`, () => {
      counts.deployments += 1;
      return HttpResponse.json(entityResponse);
    }),
    http.get(`${BASE_URL}/promotions`, () => {
      counts.promotions += 1;
      return HttpResponse.json({
        entityRef: 'component:default/fraud-scorer',
        promotions: [],
      });
    }),
  );
  return counts;
}

function render(
  signalApi: TestSignalApi | undefined,
  refreshIntervalMs = INTERVAL_MS,
) {
  return renderInTestApp(
    <TestApis signalApi={signalApi}>
      <EntityProvider entity={entity}>
        <EntityModelDeploymentsContent refreshIntervalMs={refreshIntervalMs} />
      </EntityProvider>
    </TestApis>,
  );
}

describe('EntityModelDeploymentsContent with signals', () => {
  it('loads once, says it is live and does not poll while idle', async () => {
    const counts = serve();
    const signals = new TestSignalApi();
    await render(signals);
    expect(
      await screen.findByText('3 environments, updated live'),
    ).toBeInTheDocument();
    await waitFor(() => expect(counts.promotions).toBe(1));

    // Well past the polling interval.
    await sleep(INTERVAL_MS * 8);
    expect(counts).toEqual({ deployments: 1, promotions: 1 });
    // The columns and the promotions list each follow the entity's channel.
    expect(signals.activeChannels()).toEqual([CHANNEL, CHANNEL]);
    expect(screen.queryByText(/refreshed every/)).not.toBeInTheDocument();
  });

  it('refetches the deployments once for a burst of deployment and Git signals', async () => {
    const counts = serve();
    const signals = new TestSignalApi();
    await render(signals);
    await screen.findByRole('region', { name: 'Production' });
    await waitFor(() => expect(counts.promotions).toBe(1));

    act(() => {
      signals.publish(CHANNEL, { changed: ['deployments'] });
      signals.publish(CHANNEL, { changed: ['git'] });
    });
    // Not at once: the burst is gathered first.
    expect(counts.deployments).toBe(1);
    await waitFor(() => expect(counts.deployments).toBe(2));
    await sleep(SIGNAL_COALESCE_MS * 2);
    expect(counts).toEqual({ deployments: 2, promotions: 1 });
    // The data stays on screen.
    expect(
      screen.getByRole('region', { name: 'Production' }),
    ).toBeInTheDocument();
  });

  it('refetches only the promotions for a promotions signal', async () => {
    const counts = serve();
    const signals = new TestSignalApi();
    await render(signals);
    await screen.findByRole('region', { name: 'Production' });
    await waitFor(() => expect(counts.promotions).toBe(1));

    act(() => signals.publish(CHANNEL, { changed: ['promotions'] }));
    await waitFor(() => expect(counts.promotions).toBe(2));
    await sleep(SIGNAL_COALESCE_MS * 2);
    expect(counts).toEqual({ deployments: 1, promotions: 2 });
  });

  it('ignores signals that name no change it shows, and other entities', async () => {
    const counts = serve();
    const signals = new TestSignalApi();
    await render(signals);
    await screen.findByRole('region', { name: 'Production' });
    await waitFor(() => expect(counts.promotions).toBe(1));

    act(() => {
      signals.publish(CHANNEL, { changed: [] });
      signals.publish(CHANNEL, { changed: ['something-else'] });
      signals.publish(CHANNEL, { other: true });
      signals.publish(
        modelDeploymentsEntityChannel('component:default/iris-classifier'),
        { changed: ['deployments', 'git', 'promotions'] },
      );
    });
    await sleep(SIGNAL_COALESCE_MS * 2);
    expect(counts).toEqual({ deployments: 1, promotions: 1 });
  });

  it('unsubscribes on unmount, and drops a refetch still gathering', async () => {
    const counts = serve();
    const signals = new TestSignalApi();
    const { unmount } = await render(signals);
    await screen.findByRole('region', { name: 'Production' });
    await waitFor(() => expect(counts.promotions).toBe(1));
    expect(signals.activeChannels()).toHaveLength(2);

    act(() =>
      signals.publish(CHANNEL, { changed: ['deployments', 'promotions'] }),
    );
    unmount();
    expect(signals.subscriptions).toHaveLength(2);
    expect(signals.activeChannels()).toEqual([]);
    await sleep(SIGNAL_COALESCE_MS * 2);
    expect(counts).toEqual({ deployments: 1, promotions: 1 });
  });
});

describe('EntityModelDeploymentsContent without signals', () => {
  it('says how often it refreshes', async () => {
    serve();
    await render(undefined, 30_000);
    expect(
      await screen.findByText('3 environments, refreshed every 30 s'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/updated live/)).not.toBeInTheDocument();
  });

  it('polls the deployments at the interval', async () => {
    const counts = serve();
    await render(undefined);
    await screen.findByRole('region', { name: 'Production' });
    await waitFor(() => expect(counts.deployments).toBeGreaterThanOrEqual(3));
  });
});
