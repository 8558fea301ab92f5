import http from 'http';
import { AddressInfo } from 'net';
import { ObjectStore } from './ObjectStore';
import {
  DemoResourceType,
  MODEL_SERVING_TYPES,
  NAMESPACES,
  ROLE_BINDINGS,
  apiVersionOf,
} from './resourceTypes';
import { authenticate } from './clusterServer/authentication';
import { createObject } from './clusterServer/createObject';
import { readObjects } from './clusterServer/readObjects';
import {
  DemoClusterOptions,
  RequestCounts,
  ServerState,
} from './clusterServer/serverState';
import { sendJson, status } from './clusterServer/statuses';
import { OpenWatches } from './clusterServer/watch';

/**
 * A small Kubernetes API server speaking the subset the model-deployments
 * backend uses: namespaces and the model-serving kinds, list (with
 * labelSelector), get and watch (resourceVersion, bookmarks, timeoutSeconds,
 * 410 Gone). Backed by an {@link ObjectStore}.
 *
 * This class routes requests by method; `clusterServer/` answers them:
 * `createObject` (POST), `readObjects` (GET: get, list), `watch`, with
 * `statuses` for the API server's failures and `names` for its validation.
 */
export class DemoClusterServer implements ServerState {
  readonly store: ObjectStore;
  /**
   * Requests answered so far, by verb, and watches answered 410 Gone; lets
   * tests tell a relist from a watch event.
   */
  readonly requestCounts: RequestCounts = {
    get: 0,
    list: 0,
    watch: 0,
    gone: 0,
    create: 0,
  };
  private server?: http.Server;
  private readonly openWatches = new OpenWatches();
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
          sendJson(res, 500, status(500, 'InternalError', String(error)));
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
    this.openWatches.endAll();
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

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    if (this.options.latencyMs) {
      await new Promise(r => setTimeout(r, this.options.latencyMs));
    }
    const url = new URL(req.url ?? '/', 'http://demo-cluster');
    if (!authenticate(req, res, url, this.options.token, this.resourceTypes)) {
      return;
    }
    if (req.method === 'POST') {
      await createObject(this, req, res, url);
      return;
    }
    if (req.method !== 'GET') {
      sendJson(
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
    readObjects(this, this.openWatches, req, res, url);
  }
}
