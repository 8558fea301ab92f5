import { LoggerService } from '@backstage/backend-plugin-api';
import { Environment } from '@seed-mlops/plugin-model-deployments-common';
import { ModelClusterClient } from '@seed-mlops/plugin-model-deployments-node';
import { ModelResourceCache } from '../cache/ModelResourceCache';
import { EnvironmentRegistry } from './EnvironmentRegistry';
import { NamespaceDiscovery } from './NamespaceDiscovery';

/**
 * Keeps the watch cache watching every environment: the configured ones,
 * and discovered namespaces as soon as they are seen.
 */
export class EnvironmentWatcher {
  readonly registry: EnvironmentRegistry;
  private readonly discovery?: NamespaceDiscovery;
  private readonly reportedSkips = new Set<string>();

  constructor(
    private readonly deps: {
      configured: Environment[];
      /** Clusters whose labelled namespaces are environments; none to only use config. */
      discoveryClusters?: string[];
      client: ModelClusterClient;
      cache: ModelResourceCache;
      logger: LoggerService;
    },
  ) {
    if (deps.discoveryClusters) {
      this.discovery = new NamespaceDiscovery({
        client: deps.client,
        clusters: deps.discoveryClusters,
        logger: deps.logger,
        onChange: () => this.watchAll(),
      });
    }
    this.registry = new EnvironmentRegistry(deps.configured, this.discovery);
  }

  async start(): Promise<void> {
    await this.discovery?.start();
    this.watchAll();
  }

  async stop(): Promise<void> {
    await this.discovery?.stop();
  }

  private watchAll() {
    const { environments, skipped } = this.registry.resolve();
    for (const skip of skipped) {
      const line = `Namespace ${skip.namespace} on cluster ${skip.cluster} is not taken as environment '${skip.name}': ${skip.reason}`;
      // Said once, not at every namespace change.
      if (!this.reportedSkips.has(line)) this.deps.logger.warn(line);
      this.reportedSkips.add(line);
    }
    environments.forEach(e => this.deps.cache.watch(e));
  }
}
