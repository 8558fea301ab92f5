import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import type {
  KubernetesObject as ClientKubernetesObject,
  ListWatch,
} from '@kubernetes/client-node';
import {
  EnvironmentError,
  KubernetesObject,
} from '@seed-mlops/plugin-model-deployments-common';
import {
  ModelClusterClient,
  ClusterRequestError,
} from '@seed-mlops/plugin-model-deployments-node';
import { clusterWatchTransport } from './clusterWatchTransport';
import { loadKubernetesClient } from './loadKubernetesClient';
import { ReconnectSchedule } from './ReconnectSchedule';

// The plugin loads the client through here at init.
export { loadKubernetesClient };

export type InformerState = 'pending' | 'synced' | 'error';

/** Revisions are unique across informers, so a replaced informer never repeats one. */
let lastRevision = 0;
function nextRevision() {
  lastRevision += 1;
  return lastRevision;
}

/**
 * Keeps an up-to-date copy of one resource collection (one kind in one
 * namespace or cluster) using list + watch. `ListWatch` from
 * `@kubernetes/client-node` does the bookkeeping (relist after 410 Gone,
 * resume from the last resourceVersion); this class supplies the transport
 * through the Kubernetes plugin and restarts after failures with backoff.
 */
export class ResourceInformer {
  // Objects are kept as the JSON the API returned (timestamps stay strings).
  /** The copy that serves snapshots: the last one that listed. */
  private listWatch?: ListWatch<ClientKubernetesObject>;
  /** The copy being connected, after a failure. */
  private connecting?: ListWatch<ClientKubernetesObject>;
  private state: InformerState = 'pending';
  private lastError?: EnvironmentError;
  private lastHealthyAt?: Date;
  private connected = false;
  private stopped = false;
  private readonly reconnects = new ReconnectSchedule(() => {
    if (!this.stopped) this.connect().catch(e => this.onError(e));
  });
  private readonly settledWaiters = new Set<() => void>();
  /** Changes with every change of objects or state; see `snapshot()`. */
  private revision = nextRevision();

  constructor(
    private readonly options: {
      client: ModelClusterClient;
      cluster: string;
      path: string;
      labelSelector?: string;
      logger: LoggerService;
      /**
       * Told of every change: with the object for a watch event, without
       * one when anything may have changed (a relist, a failure).
       */
      onChange?: (changed?: KubernetesObject) => void;
    },
  ) {}

  async start() {
    await this.connect();
  }

  /**
   * Lists, then watches from the list's resource version. After a failure
   * this runs again with a new ListWatch, so a reconnect always relists: a
   * watch resumed through the proxy sends nothing (not even its headers)
   * until the next event, so only a list proves the cluster is back. Until
   * the new list arrives, the old copy keeps serving, marked stale.
   */
  private async connect() {
    const { client, cluster, path, labelSelector } = this.options;
    // This connection's copy, set below; the callbacks compare against it.
    const own: { copy?: ListWatch<ClientKubernetesObject> } = {};
    const transport = clusterWatchTransport(client, cluster, {
      onEvent: (type, object, deliver) => {
        if (own.copy !== this.listWatch) return;
        this.markHealthy();
        if (type === 'ERROR' && object?.code === 410) {
          this.options.logger.debug(
            `Watch of ${path} on ${cluster} expired; relisting`,
          );
        }
        deliver();
        if (type !== 'BOOKMARK') {
          this.changed(type === 'ERROR' ? undefined : object);
        }
      },
      onEnd: () => {
        if (own.copy === this.listWatch) this.connected = false;
      },
    });
    const { ListWatch: ListWatchClass } = await loadKubernetesClient();
    own.copy = new ListWatchClass(
      path,
      transport,
      async () => {
        const list = await client.list(cluster, path, { labelSelector });
        if (!this.stopped) {
          // The new copy replaces the old one from here on.
          const previous = this.listWatch;
          this.listWatch = own.copy;
          if (previous && previous !== own.copy) {
            previous.stop().catch(() => undefined);
          }
          this.markHealthy();
          this.changed();
        }
        return list as any;
      },
      false,
      labelSelector,
    );
    const copy = own.copy;
    copy.on('error', error => {
      // A copy that was already replaced has nothing more to say.
      if (copy === this.listWatch || copy === this.connecting) {
        this.onError(error);
      }
    });
    this.connecting = copy;
    this.listWatch ??= copy;
    await copy.start();
  }

  /**
   * The cluster answers again (the cache's probe says so): an informer that
   * is waiting out its backoff reconnects now.
   */
  reconnectNow() {
    if (this.stopped || this.state !== 'error') return;
    this.reconnects.now();
  }

  private changed(object?: KubernetesObject) {
    this.revision = nextRevision();
    this.options.onChange?.(object);
  }

  private markHealthy() {
    this.reconnects.reset();
    this.state = 'synced';
    this.lastError = undefined;
    this.lastHealthyAt = new Date();
    this.connected = true;
    this.notifySettled();
  }

  private onError(error: unknown) {
    this.connected = false;
    if (!this.stopped && this.reconnects.retryQuietly(error)) return;
    const detail: EnvironmentError =
      error instanceof ClusterRequestError
        ? error.detail
        : {
            type: 'UNKNOWN',
            message: `Watch of ${this.options.path} on cluster '${
              this.options.cluster
            }' failed: ${String(isError(error) ? error.message : error)}`,
          };
    if (this.lastError?.message !== detail.message) {
      this.options.logger.warn(
        `Cannot read ${this.options.path} from cluster '${this.options.cluster}': ${detail.message}`,
      );
    }
    // A missing CRD rarely appears soon; after the second answer in a row
    // saying so (the first can be a server that is still loading its CRDs),
    // look again less often.
    const missingAgain =
      detail.type === 'RESOURCE_TYPE_MISSING' &&
      this.lastError?.type === 'RESOURCE_TYPE_MISSING';
    this.state = 'error';
    this.lastError = detail;
    this.notifySettled();
    this.changed();
    if (this.stopped) return;
    this.reconnects.afterFailure({ longest: missingAgain });
  }

  /**
   * The cluster stopped answering (the cache's liveness probe says so).
   * A watch through the proxy can stay open for minutes after the API
   * server died, so it is dropped: the data is kept, marked as last
   * confirmed at its time, and the informer reconnects with backoff.
   */
  interrupt(detail: EnvironmentError) {
    if (this.stopped || !this.connected) return;
    // Stops the watch; the copy keeps its objects for snapshots.
    this.listWatch?.stop().catch(() => undefined);
    this.onError(new ClusterRequestError(detail));
  }

  private notifySettled() {
    for (const resolve of this.settledWaiters) resolve();
    this.settledWaiters.clear();
  }

  /** Resolves once the first list succeeded or failed, or after `timeoutMs`. */
  async waitUntilSettled(timeoutMs: number): Promise<void> {
    if (this.state !== 'pending') return;
    await new Promise<void>(resolve => {
      const timers: { timeout?: NodeJS.Timeout } = {};
      const waiter = () => {
        clearTimeout(timers.timeout);
        resolve();
      };
      timers.timeout = setTimeout(() => {
        this.settledWaiters.delete(waiter);
        resolve();
      }, timeoutMs);
      this.settledWaiters.add(waiter);
    });
  }

  snapshot() {
    return {
      state: this.state,
      error: this.lastError,
      objects: (this.listWatch?.list() ??
        []) as unknown as readonly KubernetesObject[],
      /**
       * Unique to these objects and this state among all informers: a view
       * computed from a snapshot holds while the revision is the same.
       */
      revision: this.revision,
      /** Now, while the watch is connected; otherwise when data was last confirmed. */
      syncedAt:
        this.connected && this.state === 'synced'
          ? new Date()
          : this.lastHealthyAt,
    };
  }

  async stop() {
    this.stopped = true;
    this.reconnects.cancel();
    this.notifySettled();
    await Promise.all([this.listWatch?.stop(), this.connecting?.stop()]);
  }
}
