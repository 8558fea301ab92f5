import { KubernetesObject } from '@seed-mlops/plugin-model-deployments-common';
import {
  ModelClusterClient,
  ClusterRequestError,
  KubernetesList,
  WatchEventHandler,
  WatchRequest,
} from '@seed-mlops/plugin-model-deployments-node';
import {
  classifyFailedResponse,
  classifyResponse,
  classifyThrown,
} from './classifyClusterError';
import { ProxyAccess, proxyRequest } from './proxyRequest';
import { watchThroughProxy } from './watchThroughProxy';

/**
 * Reaches clusters through the Kubernetes plugin's `/proxy` endpoint with this
 * plugin's own service credentials. The Kubernetes plugin resolves the cluster
 * from its `kubernetes` config and applies its auth strategy, so cluster
 * credentials are configured once and never pass through this plugin.
 */
export class KubernetesProxyClusterClient implements ModelClusterClient {
  constructor(
    private readonly deps: ProxyAccess & {
      /** Upper bound for one list request. */
      timeoutMs: number;
      /**
       * Server-side watch duration: the API server sends a bookmark 2 s
       * before it, ends the stream, and the informer resumes from there.
       */
      watchTimeoutMs: number;
    },
  ) {}

  /**
   * One request through the proxy, bounded by the timeout; `read` handles
   * the answer, and whatever is thrown on the way comes out classified.
   */
  private async send<T>(
    cluster: string,
    path: string,
    request: {
      query?: Record<string, string | undefined>;
      method?: string;
      headers?: Record<string, string>;
      body?: string;
    },
    read: (response: Response) => Promise<T>,
  ): Promise<T> {
    const { timeoutMs } = this.deps;
    try {
      const { url, headers } = await proxyRequest(
        this.deps,
        cluster,
        path,
        request.query ?? {},
      );
      const response = await fetch(url, {
        method: request.method,
        headers: { ...headers, ...request.headers },
        body: request.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return await read(response);
    } catch (error) {
      throw classifyThrown(cluster, error, timeoutMs);
    }
  }

  async get(
    cluster: string,
    path: string,
  ): Promise<KubernetesObject | undefined> {
    return this.send(cluster, path, {}, async response => {
      if (response.status === 404) {
        const body = await response.json().catch(() => undefined);
        // The object is missing (a Status naming it), not the resource type.
        if (body?.kind === 'Status' && / not found$/.test(body.message ?? '')) {
          return undefined;
        }
        throw classifyResponse(cluster, 404, body, path);
      }
      if (!response.ok) {
        throw await classifyFailedResponse(cluster, response, path);
      }
      return (await response.json()) as KubernetesObject;
    });
  }

  async create(
    cluster: string,
    path: string,
    object: KubernetesObject,
  ): Promise<KubernetesObject> {
    const request = {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(object),
    };
    return this.send(cluster, path, request, async response => {
      if (!response.ok) {
        throw await classifyFailedResponse(cluster, response, path);
      }
      return (await response.json()) as KubernetesObject;
    });
  }

  async dryRunApply(
    cluster: string,
    path: string,
    object: KubernetesObject,
  ): Promise<void> {
    const request = {
      query: {
        dryRun: 'All',
        fieldManager: 'model-deployments',
        // The GitOps sync tool owns the fields; a check must not conflict.
        force: 'true',
      },
      method: 'PATCH',
      // JSON is YAML, and apply-patch is how `kubectl apply --server-side` sends it.
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
      body: JSON.stringify(object),
    };
    return this.send(cluster, path, request, async response => {
      if (response.status === 404) {
        const body = await response.json().catch(() => undefined);
        // A Status (e.g. the namespace does not exist), not a missing type.
        if (body?.kind === 'Status') {
          throw new ClusterRequestError(
            {
              type: 'UNKNOWN',
              message: `Cluster '${cluster}' answered HTTP 404: ${body.message}`,
              statusCode: 404,
            },
            404,
          );
        }
        throw classifyResponse(cluster, 404, body, path);
      }
      if (!response.ok) {
        throw await classifyFailedResponse(cluster, response, path);
      }
      await response.body?.cancel();
    });
  }

  async list(
    cluster: string,
    path: string,
    query: Record<string, string | undefined> = {},
  ): Promise<KubernetesList> {
    return this.send(cluster, path, { query }, async response => {
      if (!response.ok) {
        throw await classifyFailedResponse(cluster, response, path);
      }
      const list = (await response.json()) as KubernetesList;
      return {
        items: Array.isArray(list.items) ? list.items : [],
        metadata: list.metadata,
      };
    });
  }

  async watch(
    cluster: string,
    path: string,
    query: Record<string, string | undefined>,
    onEvent: WatchEventHandler,
    done: (error?: unknown) => void,
  ): Promise<WatchRequest> {
    return watchThroughProxy(this.deps, cluster, path, query, onEvent, done);
  }
}
