import http from 'http';
import https from 'https';

/** How to reach a Kubernetes API server. */
export interface KubeApiServerOptions {
  /** e.g. `https://127.0.0.1:6443`. */
  url: string;
  /** Bearer token of an identity allowed to do what is asked of it. */
  token: string;
  /** Accept any TLS certificate, e.g. the self-signed one of a local control plane. */
  skipTLSVerify?: boolean;
  /** PEM of the CA that signed the server's certificate, when not a public one. */
  caData?: string;
  /** Per request. Default 30 s. */
  requestTimeoutMs?: number;
}

/** Identifies one object. `namespace` is ignored for cluster-scoped kinds. */
export interface KubeObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** A served resource, from the API server's discovery. */
export interface KubeResource {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /** True when `<plural>/status` is served: status is then only written there. */
  hasStatusSubresource: boolean;
}

export interface KubeResponse {
  status: number;
  body: any;
  /** The `Warning` headers, e.g. about fields the schema dropped. */
  warnings: string[];
}

/** An answer other than the one expected, with the server's own message. */
export class KubeApiError extends Error {
  constructor(
    readonly action: string,
    readonly status: number,
    readonly body: any,
  ) {
    const reason = typeof body === 'object' && body ? body.reason : undefined;
    const message =
      typeof body === 'object' && body
        ? body.message ?? JSON.stringify(body)
        : String(body ?? '').trim();
    super(
      `${action}: the API server answered ${status}${
        reason ? ` ${reason}` : ''
      }: ${message}`,
    );
    this.name = 'KubeApiError';
  }
}

/** `299 - "unknown field \"spec.x\""` → `unknown field "spec.x"`. */
function parseWarning(header: string) {
  const match = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(header);
  return match ? match[1].replace(/\\(.)/g, '$1') : header;
}

/**
 * A small client of the Kubernetes REST API: what the demo's seeding and its
 * sync tool need, with the server's messages kept in errors. Plain `https`
 * rather than @kubernetes/client-node, which is ESM-only and would need
 * `--experimental-vm-modules` wherever this runs.
 */
export class KubeApiClient {
  private readonly agent: http.Agent;
  private readonly discovery = new Map<string, Promise<any>>();

  constructor(private readonly options: KubeApiServerOptions) {
    const url = new URL(options.url);
    this.agent =
      url.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            rejectUnauthorized: !options.skipTLSVerify,
            ...(options.caData ? { ca: options.caData } : {}),
          })
        : new http.Agent({ keepAlive: true });
  }

  get url() {
    return this.options.url.replace(/\/+$/, '');
  }

  /** Closes the kept-alive connections. */
  close() {
    this.agent.destroy();
  }

  /**
   * One request; any status is returned, only network errors throw. A 429
   * is tried again after its Retry-After (at most 1 s), for up to 10 s: an
   * API server answers it for a moment while it sets up the storage of a
   * CRD group that just changed.
   */
  async request(
    method: string,
    path: string,
    options: { body?: unknown; contentType?: string } = {},
  ): Promise<KubeResponse> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const res = await this.requestOnce(method, path, options);
      if (res.status !== 429 || Date.now() >= deadline) return res;
      const seconds = Number(res.retryAfter);
      await new Promise(resolve =>
        setTimeout(resolve, seconds > 0 ? Math.min(seconds, 1) * 1000 : 200),
      );
    }
  }

  private requestOnce(
    method: string,
    path: string,
    options: { body?: unknown; contentType?: string },
  ): Promise<KubeResponse & { retryAfter?: string }> {
    const url = new URL(`${this.url}${path}`);
    const transport = url.protocol === 'https:' ? https : http;
    const payload =
      options.body === undefined ? undefined : JSON.stringify(options.body);
    return new Promise((resolve, reject) => {
      const req = transport.request(
        url,
        {
          method,
          agent: this.agent,
          timeout: this.options.requestTimeoutMs ?? 30_000,
          headers: {
            Authorization: `Bearer ${this.options.token}`,
            Accept: 'application/json',
            ...(payload !== undefined
              ? {
                  'Content-Type': options.contentType ?? 'application/json',
                  'Content-Length': Buffer.byteLength(payload),
                }
              : {}),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            try {
              body = JSON.parse(text);
            } catch {
              // Plain text, e.g. "404 page not found" for an unserved group.
            }
            const warning = res.headers.warning;
            resolve({
              status: res.statusCode ?? 0,
              body,
              retryAfter: res.headers['retry-after'],
              warnings: (Array.isArray(warning)
                ? warning
                : warning?.split(/,(?=\s*\d{3} )/) ?? []
              ).map(w => parseWarning(w.trim())),
            });
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(
          new Error(`${method} ${url.href}: no answer within the timeout`),
        ),
      );
      req.on('error', error =>
        reject(
          new Error(
            `${method} ${url.href}: ${
              (error as Error).message
            } (is the API server running?)`,
          ),
        ),
      );
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** The resource serving `kind` in `apiVersion`, from discovery (cached). */
  async resourceFor(apiVersion: string, kind: string): Promise<KubeResource> {
    let list = this.discovery.get(apiVersion);
    if (!list) {
      const path = apiVersion.includes('/')
        ? `/apis/${apiVersion}`
        : `/api/${apiVersion}`;
      list = this.request('GET', path).then(res => {
        if (res.status !== 200) {
          throw new KubeApiError(
            `Discovering ${apiVersion} (is its CustomResourceDefinition installed?)`,
            res.status,
            res.body,
          );
        }
        return res.body;
      });
      // A failed look-up is not cached: the CRD may be installed meanwhile.
      list.catch(() => this.discovery.delete(apiVersion));
      this.discovery.set(apiVersion, list);
    }
    const resources: any[] = (await list).resources ?? [];
    const main = resources.find(r => r.kind === kind && !r.name.includes('/'));
    if (!main) {
      throw new Error(
        `The API server does not serve kind ${kind} in ${apiVersion}; it serves ${resources
          .filter(r => !r.name.includes('/'))
          .map(r => r.kind)
          .join(', ')}`,
      );
    }
    return {
      apiVersion,
      kind,
      plural: main.name,
      namespaced: Boolean(main.namespaced),
      hasStatusSubresource: resources.some(
        r => r.name === `${main.name}/status`,
      ),
    };
  }

  /** The collection path of a resource, in a namespace when it is namespaced. */
  collectionPath(resource: KubeResource, namespace?: string) {
    const base = resource.apiVersion.includes('/')
      ? `/apis/${resource.apiVersion}`
      : `/api/${resource.apiVersion}`;
    if (!resource.namespaced) return `${base}/${resource.plural}`;
    if (!namespace) {
      throw new Error(`${resource.kind} is namespaced: a namespace is needed`);
    }
    return `${base}/namespaces/${encodeURIComponent(namespace)}/${
      resource.plural
    }`;
  }

  /** The path of one object. */
  async objectPath(ref: KubeObjectRef) {
    const resource = await this.resourceFor(ref.apiVersion, ref.kind);
    return {
      resource,
      path: `${this.collectionPath(
        resource,
        ref.namespace,
      )}/${encodeURIComponent(ref.name)}`,
    };
  }

  /** The object, or undefined when it does not exist. */
  async get(ref: KubeObjectRef): Promise<Record<string, any> | undefined> {
    const { path } = await this.objectPath(ref);
    const res = await this.request('GET', path);
    if (res.status === 404) return undefined;
    if (res.status !== 200) {
      throw new KubeApiError(`Reading ${describe(ref)}`, res.status, res.body);
    }
    return res.body;
  }

  /** Every object of a kind, in one namespace or all of them. */
  async list(
    apiVersion: string,
    kind: string,
    namespace?: string,
  ): Promise<Array<Record<string, any>>> {
    const resource = await this.resourceFor(apiVersion, kind);
    const path = namespace
      ? this.collectionPath(resource, namespace)
      : this.collectionPath({ ...resource, namespaced: false });
    const res = await this.request('GET', path);
    if (res.status !== 200) {
      throw new KubeApiError(`Listing ${kind}`, res.status, res.body);
    }
    return res.body.items ?? [];
  }
}

/** `Model production/price-optimizer`, for messages. */
export function describe(ref: {
  kind?: string;
  namespace?: string;
  name?: string;
  metadata?: { namespace?: string; name?: string };
}) {
  const namespace = ref.namespace ?? ref.metadata?.namespace;
  const name = ref.name ?? ref.metadata?.name;
  return `${ref.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** The object's identity, from its manifest. */
export function refOf(object: Record<string, any>): KubeObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata?.namespace,
    name: object.metadata?.name,
  };
}
