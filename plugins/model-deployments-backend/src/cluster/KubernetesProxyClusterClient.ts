import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { KubernetesObject } from '@seed-mlops/plugin-model-deployments-common';
import {
  ModelClusterClient,
  ClusterRequestError,
  KubernetesList,
  WatchEventHandler,
  WatchRequest,
} from '@seed-mlops/plugin-model-deployments-node';
import { classifyResponse, classifyThrown } from './classifyClusterError';

/** Header the Kubernetes plugin's proxy reads to pick the cluster. */
const CLUSTER_HEADER = 'Backstage-Kubernetes-Cluster';

/**
 * Reaches clusters through the Kubernetes plugin's `/proxy` endpoint with this
 * plugin's own service credentials. The Kubernetes plugin resolves the cluster
 * from its `kubernetes` config and applies its auth strategy, so cluster
 * credentials are configured once and never pass through this plugin.
 */
export class KubernetesProxyClusterClient implements ModelClusterClient {
  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      /** Upper bound for one list request. */
      timeoutMs: number;
      /**
       * Server-side watch duration: the API server sends a bookmark 2 s
       * before it, ends the stream, and the informer resumes from there.
       */
      watchTimeoutMs: number;
    },
  ) {}

  private async request(
    cluster: string,
    path: string,
    query: Record<string, string | undefined>,
  ) {
    const base = await this.deps.discovery.getBaseUrl('kubernetes');
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
      targetPluginId: 'kubernetes',
    });
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, value);
    }
    const search = params.toString();
    return {
      url: `${base}/proxy${path}${search ? `?${search}` : ''}`,
      headers: {
        Authorization: `Bearer ${token}`,
        [CLUSTER_HEADER]: cluster,
        Accept: 'application/json',
      },
    };
  }

  private async failure(cluster: string, response: Response, path: string) {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    return classifyResponse(cluster, response.status, body, path);
  }

  async get(
    cluster: string,
    path: string,
  ): Promise<KubernetesObject | undefined> {
    const { timeoutMs } = this.deps;
    try {
      const { url, headers } = await this.request(cluster, path, {});
      const response = await fetch(url, {
        headers,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.status === 404) {
        const body = await response.json().catch(() => undefined);
        // The object is missing (a Status naming it), not the resource type.
        if (body?.kind === 'Status' && / not found$/.test(body.message ?? '')) {
          return undefined;
        }
        throw classifyResponse(cluster, 404, body, path);
      }
      if (!response.ok) throw await this.failure(cluster, response, path);
      return (await response.json()) as KubernetesObject;
    } catch (error) {
      throw classifyThrown(cluster, error, timeoutMs);
    }
  }

  async create(
    cluster: string,
    path: string,
    object: KubernetesObject,
  ): Promise<KubernetesObject> {
    const { timeoutMs } = this.deps;
    try {
      const { url, headers } = await this.request(cluster, path, {});
      const response = await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(object),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw await this.failure(cluster, response, path);
      return (await response.json()) as KubernetesObject;
    } catch (error) {
      throw classifyThrown(cluster, error, timeoutMs);
    }
  }

  async dryRunApply(
    cluster: string,
    path: string,
    object: KubernetesObject,
  ): Promise<void> {
    const { timeoutMs } = this.deps;
    try {
      const { url, headers } = await this.request(cluster, path, {
        dryRun: 'All',
        fieldManager: 'model-deployments',
        // The GitOps sync tool owns the fields; a check must not conflict.
        force: 'true',
      });
      const response = await fetch(url, {
        method: 'PATCH',
        // JSON is YAML, and apply-patch is how `kubectl apply --server-side` sends it.
        headers: { ...headers, 'Content-Type': 'application/apply-patch+yaml' },
        body: JSON.stringify(object),
        signal: AbortSignal.timeout(timeoutMs),
      });
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
      if (!response.ok) throw await this.failure(cluster, response, path);
      await response.body?.cancel();
    } catch (error) {
      throw classifyThrown(cluster, error, timeoutMs);
    }
  }

  async list(
    cluster: string,
    path: string,
    query: Record<string, string | undefined> = {},
  ): Promise<KubernetesList> {
    const { timeoutMs } = this.deps;
    try {
      const { url, headers } = await this.request(cluster, path, query);
      const response = await fetch(url, {
        headers,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) {
        throw await this.failure(cluster, response, path);
      }
      const list = (await response.json()) as KubernetesList;
      return {
        items: Array.isArray(list.items) ? list.items : [],
        metadata: list.metadata,
      };
    } catch (error) {
      throw classifyThrown(cluster, error, timeoutMs);
    }
  }

  async watch(
    cluster: string,
    path: string,
    query: Record<string, string | undefined>,
    onEvent: WatchEventHandler,
    done: (error?: unknown) => void,
  ): Promise<WatchRequest> {
    const { timeoutMs, watchTimeoutMs } = this.deps;
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
      const { url, headers } = await this.request(cluster, path, {
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
        throw await this.failure(cluster, response, path);
      }
      armIdleTimer();
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        armIdleTimer();
        buffer += decoder.decode(chunk, { stream: true });
        // Events are newline-delimited JSON; the last piece may be incomplete.
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.trim()) continue;
          const event = JSON.parse(line);
          onEvent(event.type, event.object ?? {});
        }
      }
    })().then(
      () => finish(),
      error =>
        finish(
          finished ? undefined : classifyThrown(cluster, error, timeoutMs),
        ),
    );
    return {
      abort: () => {
        finished = true;
        clearTimeout(idleTimer);
        controller.abort();
      },
    };
  }
}
