import http from 'http';
import https from 'https';
import { KubeResource, ResourceDiscovery, apiPathOf } from './discovery';
import { KubeApiError } from './KubeApiError';
import { KubeRequestOptions, KubeResponse, sendOnce } from './kubeHttp';
import { KubeObjectRef, describe } from './kubeObjects';

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

/**
 * A small client of the Kubernetes REST API: what the demo's seeding and its
 * sync tool need, with the server's messages kept in errors. Plain `https`
 * rather than @kubernetes/client-node, which is ESM-only and would need
 * `--experimental-vm-modules` wherever this runs.
 */
export class KubeApiClient {
  private readonly agent: http.Agent;
  private readonly discovery = new ResourceDiscovery(path =>
    this.request('GET', path),
  );

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
    options: KubeRequestOptions = {},
  ): Promise<KubeResponse> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const res = await sendOnce(
        {
          url: this.url,
          token: this.options.token,
          agent: this.agent,
          timeoutMs: this.options.requestTimeoutMs ?? 30_000,
        },
        method,
        path,
        options,
      );
      if (res.status !== 429 || Date.now() >= deadline) return res;
      const seconds = Number(res.retryAfter);
      await new Promise(resolve =>
        setTimeout(resolve, seconds > 0 ? Math.min(seconds, 1) * 1000 : 200),
      );
    }
  }

  /** The resource serving `kind` in `apiVersion`, from discovery (cached). */
  resourceFor(apiVersion: string, kind: string): Promise<KubeResource> {
    return this.discovery.resourceFor(apiVersion, kind);
  }

  /** The collection path of a resource, in a namespace when it is namespaced. */
  collectionPath(resource: KubeResource, namespace?: string) {
    const base = apiPathOf(resource.apiVersion);
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
