import http from 'http';
import { StoreEvent, StoredObject } from '../ObjectStore';
import { DemoResourceType, apiVersionOf } from '../resourceTypes';
import { ServerState } from './serverState';
import { status } from './statuses';

/** Open watch responses and how to detach each from the store. */
export class OpenWatches {
  private readonly detachers = new Map<http.ServerResponse, () => void>();

  add(res: http.ServerResponse, detach: () => void) {
    this.detachers.set(res, detach);
  }

  delete(res: http.ServerResponse) {
    this.detachers.delete(res);
  }

  /** Detaches every watch from the store at once, then ends its response. */
  endAll() {
    for (const [res, detach] of [...this.detachers]) {
      detach();
      res.end();
    }
  }
}

/** One watch request: a kind, the objects of it the client asked for, and its parameters. */
export interface WatchRequest {
  type: DemoResourceType;
  matches: (o: StoredObject) => boolean;
  params: URLSearchParams;
}

/**
 * Streams watch events as the API server does: the current objects (no
 * `resourceVersion`) or the changes since one (410 Gone when it is too
 * old), then every change, with bookmarks when asked and an end after
 * `timeoutSeconds`.
 */
export function watch(
  server: ServerState,
  openWatches: OpenWatches,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  { type, matches, params }: WatchRequest,
) {
  const { store } = server;
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Transfer-Encoding': 'chunked',
  });
  // Clients wait for the headers before reading events; send them now.
  res.flushHeaders();
  const write = (event: unknown) => res.write(`${JSON.stringify(event)}\n`);
  const toWatchEvent = (e: StoreEvent) => {
    if (e.resourceType !== type) {
      return undefined;
    }
    const now = matches(e.object);
    const before = e.previous ? matches(e.previous) : false;
    if (e.type === 'MODIFIED' && before && !now) {
      return { type: 'DELETED', object: e.object };
    }
    if (e.type === 'MODIFIED' && !before && now) {
      return { type: 'ADDED', object: e.object };
    }
    return now ? { type: e.type, object: e.object } : undefined;
  };

  const requested = params.get('resourceVersion');
  if (!requested || requested === '0') {
    for (const object of store.list(type).filter(matches)) {
      write({ type: 'ADDED', object });
    }
  } else {
    const events = store.eventsSince(Number(requested));
    if (!events) {
      server.requestCounts.gone++;
      write({
        type: 'ERROR',
        object: status(
          410,
          'Expired',
          `too old resource version: ${requested} (${store.oldestResumableRevision})`,
        ),
      });
      res.end();
      return;
    }
    for (const e of events) {
      const event = toWatchEvent(e);
      if (event) write(event);
    }
  }

  // The newest change of this kind (any namespace) since the watch began:
  // what the API server's cache of the kind knows, and bookmarks carry.
  let newestOfKind = 0;
  const onEvent = (e: StoreEvent) => {
    if (e.resourceType === type) newestOfKind = e.resourceVersion;
    const event = toWatchEvent(e);
    if (event) write(event);
  };
  store.events.on('event', onEvent);

  const timers: NodeJS.Timeout[] = [];
  const timeoutSeconds = Number(params.get('timeoutSeconds'));
  if (params.get('allowWatchBookmarks') === 'true') {
    // The API server sends a bookmark only once its cache of the kind saw
    // a change after the watch began: changes before it, even newer than
    // the requested resourceVersion, are replayed as events but bring no
    // bookmark, nor do changes of other kinds.
    const bookmark = () =>
      newestOfKind > 0 &&
      write({
        type: 'BOOKMARK',
        object: {
          apiVersion: apiVersionOf(type),
          kind: type.kind,
          metadata: { resourceVersion: String(newestOfKind) },
        },
      });
    timers.push(
      setInterval(bookmark, server.options.bookmarkIntervalMs ?? 60_000),
    );
    // As the API server does: one 2 s before the watch times out, so the
    // client resumes from as recent a point as possible.
    if (timeoutSeconds > 2) {
      timers.push(setTimeout(bookmark, (timeoutSeconds - 2) * 1000));
    }
  }
  if (timeoutSeconds > 0) {
    timers.push(setTimeout(() => res.end(), timeoutSeconds * 1000));
  }
  const cleanup = () => {
    timers.forEach(t => clearTimeout(t));
    store.events.off('event', onEvent);
    openWatches.delete(res);
  };
  openWatches.add(res, cleanup);
  res.on('close', cleanup);
  req.on('close', cleanup);
}
