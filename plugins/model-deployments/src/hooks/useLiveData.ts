import { useApiHolder } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  ModelDeploymentsChange,
  ModelDeploymentsSignal,
} from '@seed-mlops/plugin-model-deployments-common';
import { useEffect, useRef } from 'react';
import { PolledData, usePolledData } from './usePolledData';

/** How long a burst of signals is gathered into one refetch, in milliseconds. */
export const SIGNAL_COALESCE_MS = 250;

/**
 * When a live page refetches once after subscribing, in milliseconds: the
 * signal socket opens after the first load, and a change made in between
 * sends its signal to no one.
 */
export const LIVE_CATCH_UP_MS = 3_000;

/**
 * How often a live page still refetches, in milliseconds: signals sent
 * while the socket reconnects are lost, and nothing says so.
 */
export const LIVE_SAFETY_POLL_MS = 120_000;

/** Data kept up to date by signals, or by polling when there are none. */
export interface LiveData<T> extends PolledData<T> {
  /**
   * True when signals drive the refreshes (the app installed the signals
   * plugin); false when the data is polled every `intervalMs`.
   */
  live: boolean;
}

/** Whether a message names one of `changes`; malformed messages do not. */
function isRelevant(
  message: unknown,
  changes: readonly ModelDeploymentsChange[],
): boolean {
  const changed = (message as Partial<ModelDeploymentsSignal> | null)?.changed;
  return (
    Array.isArray(changed) &&
    changed.some(change => changes.includes(change as ModelDeploymentsChange))
  );
}

/**
 * Loads data and keeps it current. When the app provides the signal API, the
 * hook subscribes to `channel` and refetches when a signal names one of
 * `changes`; the signals of a burst (within {@link SIGNAL_COALESCE_MS}) make
 * one refetch, and a signal arriving while the tab is hidden refetches when
 * it is shown again. Signals can be lost, so a live page also refetches
 * once `catchUpMs` after subscribing and every `safetyPollMs` (0 disables
 * either). Without the signal API it polls every `intervalMs` (0 disables)
 * as {@link usePolledData} does. Either way the previous data stays on
 * screen while refetching.
 */
export function useLiveData<T>(options: {
  load: () => Promise<T>;
  channel: string;
  changes: readonly ModelDeploymentsChange[];
  intervalMs: number;
  catchUpMs?: number;
  safetyPollMs?: number;
}): LiveData<T> {
  const {
    load,
    channel,
    changes,
    intervalMs,
    catchUpMs = LIVE_CATCH_UP_MS,
    safetyPollMs = LIVE_SAFETY_POLL_MS,
  } = options;
  const signalApi = useApiHolder().get(signalApiRef);
  const live = signalApi !== undefined;
  const data = usePolledData(load, live ? safetyPollMs : intervalMs);

  // The subscription outlives renders: it reads the latest refresh and
  // changes through refs instead of resubscribing when they change.
  const refreshRef = useRef(data.refresh);
  refreshRef.current = data.refresh;
  const changesRef = useRef(changes);
  changesRef.current = changes;

  useEffect(() => {
    if (!signalApi) {
      return undefined;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    let missedWhileHidden = false;
    const isHidden = () =>
      typeof document !== 'undefined' && Boolean(document.hidden);

    const onVisibilityChange = () => {
      if (missedWhileHidden && !isHidden()) {
        missedWhileHidden = false;
        refreshRef.current();
      }
    };
    const refreshUnlessHidden = () => {
      if (isHidden()) {
        missedWhileHidden = true;
      } else {
        refreshRef.current();
      }
    };
    const fire = () => {
      timer = undefined;
      refreshUnlessHidden();
    };
    const { unsubscribe } = signalApi.subscribe(channel, message => {
      if (!isRelevant(message, changesRef.current) || timer !== undefined) {
        return;
      }
      timer = setTimeout(fire, SIGNAL_COALESCE_MS);
    });
    const catchUp =
      catchUpMs > 0 ? setTimeout(refreshUnlessHidden, catchUpMs) : undefined;
    if (typeof document !== 'undefined') {
      document.addEventListener('visibilitychange', onVisibilityChange);
    }
    return () => {
      unsubscribe();
      clearTimeout(timer);
      clearTimeout(catchUp);
      if (typeof document !== 'undefined') {
        document.removeEventListener('visibilitychange', onVisibilityChange);
      }
    };
  }, [signalApi, channel, catchUpMs]);

  return { ...data, live };
}
