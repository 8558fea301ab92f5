import { useCallback, useEffect, useRef, useState } from 'react';

/** The state of data that is loaded, then refreshed in place. */
export interface PolledData<T> {
  /** The latest data; kept while refreshing and when a refresh fails. */
  value?: T;
  /** The error of the latest load, if it failed. */
  error?: Error;
  /** True while a request is in flight. */
  loading: boolean;
  /** Starts a new load now. */
  refresh: () => void;
}

/**
 * Loads data, refreshes it on demand and every `intervalMs` (0 disables
 * polling), keeping the previous data on screen while a refresh runs. Polling
 * pauses while the browser tab is hidden.
 */
export function usePolledData<T>(
  load: () => Promise<T>,
  intervalMs: number,
): PolledData<T> {
  const [state, setState] = useState<{ value?: T; error?: Error }>({});
  const [loading, setLoading] = useState(true);
  const requestId = useRef(0);
  const mounted = useRef(true);

  const refresh = useCallback(() => {
    const id = ++requestId.current;
    setLoading(true);
    load().then(
      value => {
        if (mounted.current && id === requestId.current) {
          setState({ value });
          setLoading(false);
        }
      },
      (error: unknown) => {
        if (mounted.current && id === requestId.current) {
          setState(previous => ({
            value: previous.value,
            error: error instanceof Error ? error : new Error(String(error)),
          }));
          setLoading(false);
        }
      },
    );
  }, [load]);

  useEffect(() => {
    mounted.current = true;
    refresh();
    return () => {
      mounted.current = false;
    };
  }, [refresh]);

  useEffect(() => {
    if (!intervalMs || intervalMs <= 0) {
      return undefined;
    }
    const timer = setInterval(() => {
      if (typeof document === 'undefined' || !document.hidden) {
        refresh();
      }
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, refresh]);

  return { ...state, loading, refresh };
}
