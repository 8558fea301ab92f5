import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Environment,
  EnvironmentError,
  KubernetesObject,
  ModelResourceKind,
  resourceKindLabel,
} from '@seed-mlops/plugin-model-deployments-common';
import {
  ModelClusterClient,
  ClusterRequestError,
} from '@seed-mlops/plugin-model-deployments-node';
import { InformerState, ResourceInformer } from './ResourceInformer';

/** What the cache holds for one resource kind in one environment. */
export interface KindSnapshot {
  kind: ModelResourceKind;
  state: InformerState;
  error?: EnvironmentError;
  objects: readonly KubernetesObject[];
  syncedAt?: Date;
  /**
   * The informer's revision: the same revision, the same objects and state.
   * Absent for snapshots made elsewhere, which are never taken as unchanged.
   */
  revision?: number;
}

/** Path of a collection: namespaced for a namespace environment, cluster-wide otherwise. */
export function collectionPath(kind: ModelResourceKind, namespace?: string) {
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return kind.group
    ? `/apis/${kind.group}/${kind.version}${ns}/${kind.plural}`
    : `/api/${kind.version}${ns}/${kind.plural}`;
}

function environmentKey(env: Environment) {
  return `${env.cluster}\u0000${env.namespace ?? ''}`;
}

/**
 * Server-side cache of every model-serving object in every environment,
 * kept fresh by one informer per (cluster, namespace, kind). Page views read
 * from memory; they never wait on a cluster except for an environment whose
 * first list has not finished yet, and then at most the request timeout.
 */
export class ModelResourceCache {
  private readonly informers = new Map<string, Map<string, ResourceInformer>>();
  private readonly probes = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly options: {
      client: ModelClusterClient;
      kinds: readonly ModelResourceKind[];
      logger: LoggerService;
      timeoutMs: number;
      /** How often each watched cluster is asked for `/version`. Default 4 s. */
      probeIntervalMs?: number;
      /**
       * Told of each change in an environment: the object a watch event
       * carried, or none when anything there may have changed.
       */
      onChange?: (env: Environment, changed?: KubernetesObject) => void;
    },
  ) {}

  /**
   * Asks the cluster for `/version` every few seconds while it is watched.
   * A watch alone does not notice a dead API server for minutes; when the
   * probe cannot reach it, every informer of the cluster drops its watch and
   * its data is shown as last confirmed, not as fresh.
   */
  private probe(cluster: string) {
    if (this.probes.has(cluster)) return;
    let running = false;
    let down = false;
    const informersOf = () =>
      [...this.informers]
        .filter(([key]) => key.startsWith(`${cluster}\u0000`))
        .flatMap(([, byKind]) => [...byKind.values()]);
    const timer = setInterval(async () => {
      if (running) return;
      running = true;
      try {
        await this.options.client.get(cluster, '/version');
        // Back: nobody waits out a backoff of up to 30 s.
        if (down) informersOf().forEach(informer => informer.reconnectNow());
        down = false;
      } catch (error) {
        const detail =
          error instanceof ClusterRequestError ? error.detail : undefined;
        if (detail?.type === 'UNREACHABLE' || detail?.type === 'TIMEOUT') {
          down = true;
          informersOf().forEach(informer => informer.interrupt(detail));
        }
      } finally {
        running = false;
      }
    }, this.options.probeIntervalMs ?? 4_000);
    timer.unref?.();
    this.probes.set(cluster, timer);
  }

  /** Starts watching an environment; a no-op when it is watched already. */
  watch(env: Environment) {
    const key = environmentKey(env);
    if (this.informers.has(key)) {
      return;
    }
    this.probe(env.cluster);
    const byKind = new Map<string, ResourceInformer>();
    for (const kind of this.options.kinds) {
      const informer = new ResourceInformer({
        client: this.options.client,
        cluster: env.cluster,
        path: collectionPath(kind, env.namespace),
        onChange: changed => this.options.onChange?.(env, changed),
        logger: this.options.logger.child({
          cluster: env.cluster,
          namespace: env.namespace ?? '*',
        }),
      });
      byKind.set(resourceKindLabel(kind), informer);
      informer
        .start()
        .catch(error =>
          this.options.logger.error(
            `Informer for ${resourceKindLabel(kind)} failed to start`,
            error,
          ),
        );
    }
    this.informers.set(key, byKind);
  }

  async unwatch(env: Environment) {
    const key = environmentKey(env);
    const byKind = this.informers.get(key);
    this.informers.delete(key);
    await Promise.all([...(byKind?.values() ?? [])].map(i => i.stop()));
  }

  /**
   * The cached objects of an environment. Waits for informers that have not
   * finished their first list, for at most the request timeout.
   */
  async snapshot(env: Environment): Promise<KindSnapshot[]> {
    this.watch(env);
    const byKind = this.informers.get(environmentKey(env))!;
    await Promise.all(
      [...byKind.values()].map(i => i.waitUntilSettled(this.options.timeoutMs)),
    );
    return this.options.kinds.map(kind => {
      const snapshot = byKind.get(resourceKindLabel(kind))!.snapshot();
      if (snapshot.state === 'pending') {
        return {
          kind,
          ...snapshot,
          error: {
            type: 'TIMEOUT' as const,
            message: `Cluster '${env.cluster}' did not answer within ${this.options.timeoutMs} ms.`,
            resourceKind: resourceKindLabel(kind),
          },
        };
      }
      return {
        kind,
        ...snapshot,
        ...(snapshot.error
          ? {
              error: {
                ...snapshot.error,
                resourceKind: resourceKindLabel(kind),
              },
            }
          : {}),
      };
    });
  }

  async stop() {
    this.probes.forEach(timer => clearInterval(timer));
    this.probes.clear();
    const all = [...this.informers.values()].flatMap(m => [...m.values()]);
    this.informers.clear();
    await Promise.all(all.map(i => i.stop()));
  }
}
