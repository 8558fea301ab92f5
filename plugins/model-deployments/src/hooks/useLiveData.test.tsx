import { configApiRef } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { mockApis, TestApiProvider } from '@backstage/test-utils';
import { act, renderHook, waitFor } from '@testing-library/react';
import { ModelDeploymentsChange } from '@seed-mlops/plugin-model-deployments-common';
import { ReactNode } from 'react';
import { TestSignalApi } from '../__testUtils__';
import { SIGNAL_COALESCE_MS, useLiveData } from './useLiveData';

const CHANNEL = 'model-deployments:entity:component:default/fraud-scorer';

function sleep(ms: number) {
  return act(() => new Promise<void>(resolve => setTimeout(resolve, ms)));
}

function renderLiveData(
  signalApi: TestSignalApi | undefined,
  options: {
    intervalMs?: number;
    changes?: ModelDeploymentsChange[];
    catchUpMs?: number;
    safetyPollMs?: number;
  } = {},
) {
  let calls = 0;
  const load = jest.fn(async () => {
    calls += 1;
    return calls;
  });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider
      apis={[
        [configApiRef, mockApis.config()],
        ...(signalApi ? [[signalApiRef, signalApi] as const] : []),
      ]}
    >
      {children}
    </TestApiProvider>
  );
  const result = renderHook(
    (props: { changes: ModelDeploymentsChange[] }) =>
      useLiveData({
        load,
        channel: CHANNEL,
        changes: props.changes,
        intervalMs: options.intervalMs ?? 50,
        // Out of the way unless a test is about them.
        catchUpMs: options.catchUpMs ?? 0,
        safetyPollMs: options.safetyPollMs ?? 0,
      }),
    {
      wrapper,
      initialProps: { changes: options.changes ?? ['deployments'] },
    },
  );
  return { ...result, load };
}

describe('useLiveData', () => {
  let hidden = false;
  beforeAll(() => {
    Object.defineProperty(document, 'hidden', {
      configurable: true,
      get: () => hidden,
    });
  });
  afterEach(() => {
    hidden = false;
  });
  afterAll(() => {
    // Back to jsdom's own getter on Document.prototype.
    delete (document as { hidden?: boolean }).hidden;
  });

  it('is live with signals: a refetch per burst of relevant signals, no fast polling', async () => {
    const signals = new TestSignalApi();
    const { result, load } = renderLiveData(signals);
    await waitFor(() => expect(result.current.value).toBe(1));
    expect(result.current.live).toBe(true);

    await sleep(300);
    expect(load).toHaveBeenCalledTimes(1);

    act(() => {
      signals.publish(CHANNEL, { changed: ['deployments'] });
      signals.publish(CHANNEL, { changed: ['deployments', 'promotions'] });
      signals.publish(CHANNEL, { changed: ['promotions'] });
    });
    await waitFor(() => expect(result.current.value).toBe(2));
    await sleep(SIGNAL_COALESCE_MS * 2);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('catches up once after subscribing, for a change whose signal came before the socket', async () => {
    const signals = new TestSignalApi();
    const { result, load } = renderLiveData(signals, { catchUpMs: 100 });
    await waitFor(() => expect(result.current.value).toBe(1));
    await waitFor(() => expect(result.current.value).toBe(2));
    await sleep(300);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('still polls slowly when live, for signals lost while the socket reconnected', async () => {
    const signals = new TestSignalApi();
    const { result, load } = renderLiveData(signals, { safetyPollMs: 60 });
    await waitFor(() => expect(load.mock.calls.length).toBeGreaterThan(2));
    expect(result.current.live).toBe(true);
  });

  it('polls and is not live without signals', async () => {
    const { result, load } = renderLiveData(undefined);
    await waitFor(() => expect(load.mock.calls.length).toBeGreaterThan(2));
    expect(result.current.live).toBe(false);
  });

  it('does not poll when the interval is 0 without signals', async () => {
    const { result, load } = renderLiveData(undefined, { intervalMs: 0 });
    await waitFor(() => expect(result.current.value).toBe(1));
    await sleep(300);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('keeps its subscription across renders, with the latest changes', async () => {
    const signals = new TestSignalApi();
    const { result, load, rerender } = renderLiveData(signals);
    await waitFor(() => expect(result.current.value).toBe(1));

    rerender({ changes: ['promotions'] });
    expect(signals.subscriptions).toHaveLength(1);

    act(() => signals.publish(CHANNEL, { changed: ['deployments'] }));
    await sleep(SIGNAL_COALESCE_MS * 2);
    expect(load).toHaveBeenCalledTimes(1);

    act(() => signals.publish(CHANNEL, { changed: ['promotions'] }));
    await waitFor(() => expect(load).toHaveBeenCalledTimes(2));
  });

  it('refetches when the tab is shown again after a signal arrived hidden', async () => {
    const signals = new TestSignalApi();
    const { result, load } = renderLiveData(signals);
    await waitFor(() => expect(result.current.value).toBe(1));

    hidden = true;
    act(() => signals.publish(CHANNEL, { changed: ['deployments'] }));
    await sleep(SIGNAL_COALESCE_MS * 2);
    expect(load).toHaveBeenCalledTimes(1);

    hidden = false;
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await waitFor(() => expect(result.current.value).toBe(2));
    // Once only.
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await sleep(50);
    expect(load).toHaveBeenCalledTimes(2);
  });
});
