import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Environment,
  EnvironmentError,
  EnvironmentNamespaceLabels,
  KubernetesObject,
  isDns1123Label,
  SeldonNamespaceLabels,
} from '@seed-mlops/plugin-model-deployments-common';
import { ModelClusterClient } from '@seed-mlops/plugin-model-deployments-node';
import { ResourceInformer } from '../cache/ResourceInformer';

/**
 * Stage of a discovered namespace without a stage label, guessed from its
 * name so that `dev`, `staging` and `production` line up without any config.
 */
export function guessStage(name: string): number {
  if (/stag|preprod|uat/.test(name)) return 30;
  if (/prod/.test(name)) return 40;
  if (/dev/.test(name)) return 10;
  if (/test|qa|int/.test(name)) return 20;
  return 25;
}

/** Turns a namespace labelled the Seldon way into an environment. */
export function environmentFromNamespace(
  cluster: string,
  namespace: KubernetesObject,
): Environment | undefined {
  const metadata = namespace.metadata ?? {};
  const labels = metadata.labels ?? {};
  const annotations = metadata.annotations ?? {};
  const nsName = metadata.name;
  if (!nsName || labels[SeldonNamespaceLabels.restricted] === undefined) {
    return undefined;
  }
  // Being deleted: the API server refuses new objects in it, and it stays
  // Terminating until its finalizers are done, which can take long.
  if (
    metadata.deletionTimestamp ||
    (namespace as { status?: { phase?: string } }).status?.phase ===
      'Terminating'
  ) {
    return undefined;
  }
  const name = labels[EnvironmentNamespaceLabels.name] ?? nsName;
  if (!isDns1123Label(name)) {
    return undefined;
  }
  const stageLabel = Number.parseInt(
    labels[EnvironmentNamespaceLabels.stage] ?? '',
    10,
  );
  const repoUrl = annotations[SeldonNamespaceLabels.gitRepoAnnotation];
  const gitops = labels[SeldonNamespaceLabels.gitops] === 'enabled' && repoUrl;
  const branch = annotations[EnvironmentNamespaceLabels.gitBranchAnnotation];
  return {
    name,
    title: annotations[EnvironmentNamespaceLabels.titleAnnotation] ?? name,
    stage: Number.isFinite(stageLabel) ? stageLabel : guessStage(name),
    cluster,
    namespace: nsName,
    restricted: labels[SeldonNamespaceLabels.restricted] === 'true',
    origin: 'discovery',
    ...(gitops
      ? {
          gitops: {
            repoUrl,
            ...(branch ? { branch } : {}),
            path:
              annotations[EnvironmentNamespaceLabels.gitPathAnnotation] ??
              nsName,
          },
        }
      : {}),
  };
}

/**
 * Watches the namespaces of each discovery cluster that carry the
 * `seldon.restricted` label, as Seldon Enterprise Platform does.
 */
export class NamespaceDiscovery {
  private readonly informers = new Map<string, ResourceInformer>();

  constructor(
    private readonly options: {
      client: ModelClusterClient;
      clusters: string[];
      logger: LoggerService;
      onChange: () => void;
    },
  ) {}

  async start() {
    for (const cluster of this.options.clusters) {
      const informer = new ResourceInformer({
        client: this.options.client,
        cluster,
        path: '/api/v1/namespaces',
        labelSelector: SeldonNamespaceLabels.restricted,
        logger: this.options.logger.child({ cluster, discovery: 'namespaces' }),
        onChange: this.options.onChange,
      });
      this.informers.set(cluster, informer);
      await informer.start();
    }
  }

  async waitUntilSettled(timeoutMs: number) {
    await Promise.all(
      [...this.informers.values()].map(i => i.waitUntilSettled(timeoutMs)),
    );
  }

  environments(): Environment[] {
    const result: Environment[] = [];
    for (const [cluster, informer] of this.informers) {
      for (const namespace of informer.snapshot().objects) {
        const env = environmentFromNamespace(cluster, namespace);
        if (env) result.push(env);
      }
    }
    return result;
  }

  /** Clusters whose namespaces cannot be listed, with the reason. */
  errors(): Array<{ cluster: string; error: EnvironmentError }> {
    return [...this.informers]
      .map(([cluster, informer]) => ({
        cluster,
        error: informer.snapshot().error,
      }))
      .filter((e): e is { cluster: string; error: EnvironmentError } =>
        Boolean(e.error),
      );
  }

  async stop() {
    await Promise.all([...this.informers.values()].map(i => i.stop()));
  }
}
