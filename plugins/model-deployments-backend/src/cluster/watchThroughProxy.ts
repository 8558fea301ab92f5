import {
  WatchEventHandler,
  WatchRequest,
} from '@seed-mlops/plugin-model-deployments-node';
import { classifyFailedResponse, classifyThrown } from './classifyClusterError';
import { ProxyAccess, proxyRequest } from './proxyRequest';

/**
 * Splits newline-delimited JSON into lines as its chunks arrive; an
 * incomplete last line waits for the next chunk.
 */
class LineSplitter {
  private readonly decoder = new TextDecoder();
  private buffer = '';

  /** The non-blank lines this chunk completes. */
  push(chunk: Uint8Array): string[] {
    this.buffer += this.decoder.decode(chunk, { stream: true });
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    return lines.filter(line => line.trim());
  }
}

/**
 * Watches `path` on `cluster` through the proxy and streams its events to
 * `onEvent` until the server ends the watch (`done()`), it fails
 * (`done(error)`, classified) or it is aborted (no `done`).
 */
export function watchThroughProxy(
  // The client's options: its request timeout and the server-side watch duration.
  options: ProxyAccess & { timeoutMs: number; watchTimeoutMs: number },
  cluster: string,
  path: string,
  query: Record<string, string | undefined>,
  onEvent: WatchEventHandler,
  done: (error?: unknown) => void,
): WatchRequest {
  const { timeoutMs, watchTimeoutMs } = options;
  const watchTimeoutSeconds = Math.max(1, Math.round(watchTimeoutMs / 1000));
  const controller = new AbortController();
  let finished = false;
  let idleTimer: NodeJS.Timeout | undefined;
  const finish = (error?: unknown) => {
    if (finished) return;
    finished = true;
    clearTimeout(idleTimer);
    controller.abort();
    done(error);
  };
  // The Kubernetes plugin's proxy sends the response headers only with the
  // first event, so a quiet watch shows nothing, not even headers, until
  // the server ends it after timeoutSeconds. Give up only after that much
  // silence (a half-open connection); the list is what detects a dead cluster.
  const armIdleTimer = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => finish(), (watchTimeoutSeconds + 30) * 1000);
  };
  armIdleTimer();

  (async () => {
    const { url, headers } = await proxyRequest(options, cluster, path, {
      ...query,
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(watchTimeoutSeconds),
      watch: 'true',
    });
    const response = await fetch(url, {
      // The backend compresses responses by default, and a gzip stream
      // holds small events back; ask for the events as they come.
      headers: { ...headers, 'Accept-Encoding': 'identity' },
      signal: controller.signal,
    });
    if (!response.ok || !response.body) {
      throw await classifyFailedResponse(cluster, response, path);
    }
    armIdleTimer();
    const lines = new LineSplitter();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      armIdleTimer();
      for (const line of lines.push(chunk)) {
        const event = JSON.parse(line);
        onEvent(event.type, event.object ?? {});
      }
    }
  })().then(
    () => finish(),
    error =>
      finish(finished ? undefined : classifyThrown(cluster, error, timeoutMs)),
  );
  return {
    abort: () => {
      finished = true;
      clearTimeout(idleTimer);
      controller.abort();
    },
  };
}
