import http from 'http';
import { AddressInfo } from 'net';
import {
  LabelRequirement,
  matchesLabelSelector,
  parseLabelSelector,
} from '@seed-mlops/plugin-model-deployments-common';
import { ObjectStore, StoreEvent, StoredObject } from './ObjectStore';
import {
  DemoResourceType,
  MODEL_SERVING_TYPES,
  NAMESPACES,
  ROLE_BINDINGS,
  apiVersionOf,
  isCustomResource,
  qualifiedResourceOf,
  statusDetailsOf,
} from './resourceTypes';

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_1123_SUBDOMAIN =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_BODY_BYTES = 1024 * 1024;

/** How the demo cluster behaves; the fault options exist for tests. */
export interface DemoClusterOptions {
  /** Loopback only. Defaults to 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Bearer token every request must carry; unset accepts any request. */
  token?: string;
  /** Resource types whose CRDs are "installed"; defaults to all five model-serving kinds. */
  resourceTypes?: DemoResourceType[];
  /** Namespaces the token may not read: requests for them answer 403, as RBAC would. */
  forbiddenNamespaces?: string[];
  /** Delay before answering any request, to simulate a slow cluster. */
  latencyMs?: number;
  /**
   * How often a watch that asked for bookmarks receives one (the API server:
   * every minute, and 2 s before the watch times out). Default 60 s.
   */
  bookmarkIntervalMs?: number;
}

/** RBAC's verb for a read: get one object, or list or watch a collection. */
function readVerbOf(route: Route, url: URL) {
  if (route.name) return 'get';
  const watch = url.searchParams.get('watch');
  return watch === 'true' || watch === '1' ? 'watch' : 'list';
}

interface Route {
  type: DemoResourceType;
  namespace?: string;
  name?: string;
}

function status(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** The identity the demo's token stands for, as RBAC messages name it. */
const DEMO_USER = 'system:serviceaccount:backstage:model-deployments';

/** What a real API server says when RBAC denies `verb` on a route. */
function forbidden(route: Route, verb: string, user: string) {
  const { type, namespace, name } = route;
  const scope = namespace
    ? `in the namespace "${namespace}"`
    : 'at the cluster scope';
  return status(
    403,
    'Forbidden',
    `${qualifiedResourceOf(type)}${
      name ? ` "${name}"` : ''
    } is forbidden: User "${user}" cannot ${verb} resource "${
      type.plural
    }" in API group "${type.group}" ${scope}`,
    statusDetailsOf(type, name),
  );
}

/**
 * The API server's name validation and its message: a DNS-1123 label for
 * namespaces, a DNS-1123 subdomain for custom resources.
 */
function nameProblem(type: DemoResourceType, name: string) {
  if (type === NAMESPACES) {
    return DNS_1123_LABEL.test(name)
      ? undefined
      : `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`;
  }
  if (!isCustomResource(type)) return undefined;
  return DNS_1123_SUBDOMAIN.test(name)
    ? undefined
    : `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
}

/**
 * A small Kubernetes API server speaking the subset the model-deployments
 * backend uses: namespaces and the model-serving kinds, list (with
 * labelSelector), get and watch (resourceVersion, bookmarks, timeoutSeconds,
 * 410 Gone). Backed by an {@link ObjectStore}.
 */
export class DemoClusterServer {
  readonly store: ObjectStore;
  /**
   * Requests answered so far, by verb, and watches answered 410 Gone; lets
   * tests tell a relist from a watch event.
   */
  readonly requestCounts = { get: 0, list: 0, watch: 0, gone: 0, create: 0 };
  private server?: http.Server;
  /** Open watch responses and how to detach each from the store. */
  private readonly openWatches = new Map<http.ServerResponse, () => void>();
  options: DemoClusterOptions;

  constructor(options: DemoClusterOptions = {}, store = new ObjectStore()) {
    this.options = options;
    this.store = store;
  }

  get resourceTypes(): DemoResourceType[] {
    return [
      NAMESPACES,
      ROLE_BINDINGS,
      ...(this.options.resourceTypes ?? MODEL_SERVING_TYPES),
    ];
  }

  /** Finds the served type of a manifest, or undefined when its CRD is not installed. */
  typeOf(object: { apiVersion?: string; kind?: string }) {
    return this.resourceTypes.find(
      t => apiVersionOf(t) === object.apiVersion && t.kind === object.kind,
    );
  }

  /** Creates or replaces objects, e.g. the seed manifests. */
  apply(objects: Array<Record<string, any>>) {
    for (const object of objects) {
      const type = this.typeOf(object);
      if (!type) {
        throw new Error(
          `The demo cluster does not serve ${object.apiVersion} ${object.kind}`,
        );
      }
      this.store.apply(type, object);
    }
  }

  async start(): Promise<string> {
    const host = this.options.host ?? '127.0.0.1';
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(error => {
        if (!res.headersSent) {
          this.send(res, 500, status(500, 'InternalError', String(error)));
        } else {
          res.end();
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port ?? 0, host, () => resolve());
    });
    return this.url;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) {
      throw new Error('The demo cluster is not running');
    }
    const host =
      address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  /**
   * Ends every open watch the way the API server does when `timeoutSeconds`
   * runs out; clients resume from their last resource version. Watches are
   * detached at once, so changes made right after are not sent on them.
   */
  endWatches() {
    for (const [res, detach] of [...this.openWatches]) {
      detach();
      res.end();
    }
  }

  async stop() {
    this.endWatches();
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    }
  }

  /**
   * A path nothing serves, e.g. a kind whose CRD is not installed: the API
   * server answers plain text here, not a Status.
   */
  private pageNotFound(res: http.ServerResponse) {
    res.writeHead(404, {
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end('404 page not found\n');
  }

  /** A request without credentials: authenticated as anonymous, denied by RBAC. */
  private anonymous(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ) {
    const route = this.route(url.pathname);
    const verb = req.method === 'POST' ? 'create' : undefined;
    this.send(
      res,
      403,
      route
        ? forbidden(route, verb ?? readVerbOf(route, url), 'system:anonymous')
        : status(
            403,
            'Forbidden',
            `forbidden: User "system:anonymous" cannot ${(
              req.method ?? 'get'
            ).toLowerCase()} path "${url.pathname}"`,
            {},
          ),
    );
  }

  private send(res: http.ServerResponse, code: number, body: unknown) {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  /** Reads a JSON body of at most 1 MiB. */
  private async body(req: http.IncomingMessage): Promise<any> {
    let size = 0;
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new Error('request body too large');
      chunks.push(chunk as Buffer);
    }
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  }

  /**
   * `POST` to a collection creates the object, with the API server's
   * answers: 201, 409 AlreadyExists, 404 for a missing namespace, 400 or
   * 422 for a malformed object, 403 in a forbidden namespace.
   */
  private async create(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ) {
    const route = this.route(url.pathname);
    if (!route) {
      this.pageNotFound(res);
      return;
    }
    if (route.name) {
      this.send(
        res,
        405,
        status(405, 'MethodNotAllowed', 'POST goes to a collection'),
      );
      return;
    }
    let object: any;
    try {
      object = await this.body(req);
    } catch (e) {
      this.send(res, 400, status(400, 'BadRequest', (e as Error).message));
      return;
    }
    const { type } = route;
    if (
      object?.kind !== type.kind ||
      object?.apiVersion !== apiVersionOf(type)
    ) {
      this.send(
        res,
        400,
        status(
          400,
          'BadRequest',
          `the API version in the data (${object?.apiVersion}) or kind (${
            object?.kind
          }) does not match ${apiVersionOf(type)} ${type.kind}`,
        ),
      );
      return;
    }
    const name = object.metadata?.name;
    const problem =
      typeof name === 'string' && name
        ? nameProblem(type, name)
        : 'Required value: name or generateName is required';
    if (problem) {
      this.send(
        res,
        422,
        status(
          422,
          'Invalid',
          `${type.group ? `${type.kind}.${type.group}` : type.kind} "${
            name ?? ''
          }" is invalid: metadata.name: ${problem}`,
          {
            name: name ?? '',
            ...(type.group ? { group: type.group } : {}),
            kind: type.kind,
            causes: [
              {
                reason: problem.startsWith('Required')
                  ? 'FieldValueRequired'
                  : 'FieldValueInvalid',
                message: problem,
                field: 'metadata.name',
              },
            ],
          },
        ),
      );
      return;
    }
    const namespace = route.namespace;
    if (
      namespace &&
      object.metadata.namespace &&
      object.metadata.namespace !== namespace
    ) {
      this.send(
        res,
        400,
        status(
          400,
          'BadRequest',
          'the namespace of the provided object does not match the namespace sent on the request',
        ),
      );
      return;
    }
    const target = namespace ?? (type === NAMESPACES ? name : undefined);
    if (target && this.options.forbiddenNamespaces?.includes(target)) {
      this.send(res, 403, forbidden(route, 'create', DEMO_USER));
      return;
    }
    if (namespace && !this.store.get(NAMESPACES, undefined, namespace)) {
      this.send(
        res,
        404,
        status(
          404,
          'NotFound',
          `namespaces "${namespace}" not found`,
          statusDetailsOf(NAMESPACES, namespace),
        ),
      );
      return;
    }
    if (this.store.get(type, namespace, name)) {
      this.send(
        res,
        409,
        status(
          409,
          'AlreadyExists',
          `${qualifiedResourceOf(type)} "${name}" already exists`,
          statusDetailsOf(type, name),
        ),
      );
      return;
    }
    this.requestCounts.create++;
    const { status: _ignored, ...spec } = object;
    const created = this.store.apply(type, {
      ...spec,
      metadata: { ...object.metadata, ...(namespace ? { namespace } : {}) },
    });
    this.send(res, 201, created);
  }

  private route(pathname: string): Route | undefined {
    const segments = pathname
      .split('/')
      .filter(Boolean)
      .map(decodeURIComponent);
    let group = '';
    let version: string;
    let rest: string[];
    if (segments[0] === 'api' && segments.length >= 2) {
      version = segments[1];
      rest = segments.slice(2);
    } else if (segments[0] === 'apis' && segments.length >= 3) {
      group = segments[1];
      version = segments[2];
      rest = segments.slice(3);
    } else {
      return undefined;
    }
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name, ...extra] = rest;
    if (!plural || extra.length) {
      return undefined;
    }
    const type = this.resourceTypes.find(
      t => t.group === group && t.version === version && t.plural === plural,
    );
    if (!type || (namespace !== undefined && !type.namespaced)) {
      return undefined;
    }
    return { type, namespace, name };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    if (this.options.latencyMs) {
      await new Promise(r => setTimeout(r, this.options.latencyMs));
    }
    const url = new URL(req.url ?? '/', 'http://demo-cluster');
    if (this.options.token) {
      const auth = req.headers.authorization;
      // No credentials at all is the anonymous user, whom RBAC then denies.
      if (auth === undefined) {
        this.anonymous(req, res, url);
        return;
      }
      if (auth !== `Bearer ${this.options.token}`) {
        this.send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
        return;
      }
    }
    if (req.method === 'POST') {
      await this.create(req, res, url);
      return;
    }
    if (req.method !== 'GET') {
      this.send(
        res,
        405,
        status(
          405,
          'MethodNotAllowed',
          `${req.method} is not supported by the demo cluster yet`,
        ),
      );
      return;
    }
    if (url.pathname === '/version') {
      this.send(res, 200, {
        major: '1',
        minor: '31',
        gitVersion: 'v1.31.0-demo',
        platform: 'model-deployments-demo',
      });
      return;
    }
    const route = this.route(url.pathname);
    if (!route) {
      this.pageNotFound(res);
      return;
    }
    const namespace =
      route.namespace ?? (route.type === NAMESPACES ? route.name : undefined);
    if (namespace && this.options.forbiddenNamespaces?.includes(namespace)) {
      this.send(res, 403, forbidden(route, readVerbOf(route, url), DEMO_USER));
      return;
    }
    let selector: LabelRequirement[];
    try {
      selector = parseLabelSelector(
        url.searchParams.get('labelSelector') ?? '',
      );
    } catch (e) {
      this.send(
        res,
        400,
        status(
          400,
          'BadRequest',
          `unable to parse requirement: ${(e as Error).message}`,
        ),
      );
      return;
    }
    if (route.name && route.type !== NAMESPACES) {
      this.requestCounts.get++;
      const object = this.store.get(route.type, route.namespace, route.name);
      if (!object) {
        this.send(
          res,
          404,
          status(
            404,
            'NotFound',
            `${qualifiedResourceOf(route.type)} "${route.name}" not found`,
            statusDetailsOf(route.type, route.name),
          ),
        );
      } else {
        this.send(res, 200, object);
      }
      return;
    }
    if (route.name) {
      this.requestCounts.get++;
      const object = this.store.get(route.type, undefined, route.name);
      this.send(
        res,
        object ? 200 : 404,
        object ??
          status(
            404,
            'NotFound',
            `namespaces "${route.name}" not found`,
            statusDetailsOf(NAMESPACES, route.name),
          ),
      );
      return;
    }
    const matches = (o: StoredObject) =>
      (route.namespace === undefined ||
        o.metadata.namespace === route.namespace) &&
      matchesLabelSelector(selector, o.metadata.labels);
    const watch = url.searchParams.get('watch');
    if (watch === 'true' || watch === '1') {
      this.requestCounts.watch++;
      this.watch(req, res, route.type, matches, url.searchParams);
      return;
    }
    this.requestCounts.list++;
    this.send(res, 200, {
      apiVersion: apiVersionOf(route.type),
      kind: `${route.type.kind}List`,
      metadata: {
        resourceVersion: String(this.store.currentRevision),
        // Lists served by a CRD say there is no next page.
        ...(isCustomResource(route.type) ? { continue: '' } : {}),
      },
      items: this.store.list(route.type, route.namespace).filter(matches),
    });
  }

  private watch(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    type: DemoResourceType,
    matches: (o: StoredObject) => boolean,
    params: URLSearchParams,
  ) {
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
      for (const object of this.store.list(type).filter(matches)) {
        write({ type: 'ADDED', object });
      }
    } else {
      const events = this.store.eventsSince(Number(requested));
      if (!events) {
        this.requestCounts.gone++;
        write({
          type: 'ERROR',
          object: status(
            410,
            'Expired',
            `too old resource version: ${requested} (${this.store.oldestResumableRevision})`,
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
    this.store.events.on('event', onEvent);

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
        setInterval(bookmark, this.options.bookmarkIntervalMs ?? 60_000),
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
      this.store.events.off('event', onEvent);
      this.openWatches.delete(res);
    };
    this.openWatches.set(res, cleanup);
    res.on('close', cleanup);
    req.on('close', cleanup);
  }
}
