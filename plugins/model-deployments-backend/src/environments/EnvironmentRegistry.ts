import { Environment } from '@seed-mlops/plugin-model-deployments-common';
import { NamespaceDiscovery } from './NamespaceDiscovery';
import { byStage } from './readEnvironmentsConfig';

/**
 * All environments in stage order: those declared in config, plus those
 * discovered from namespace labels. A configured environment wins over a
 * discovered one with the same name or the same cluster and namespace.
 */
export class EnvironmentRegistry {
  constructor(
    private readonly configured: Environment[],
    private readonly discovery?: NamespaceDiscovery,
  ) {}

  list(): Environment[] {
    const names = new Set(this.configured.map(e => e.name));
    const places = new Set(
      this.configured.map(e => `${e.cluster}/${e.namespace ?? '*'}`),
    );
    const discovered = (this.discovery?.environments() ?? []).filter(e => {
      const place = `${e.cluster}/${e.namespace ?? '*'}`;
      if (names.has(e.name) || places.has(place)) return false;
      names.add(e.name);
      places.add(place);
      return true;
    });
    return [...this.configured, ...discovered].sort(byStage);
  }

  get(name: string): Environment | undefined {
    return this.list().find(e => e.name === name);
  }
}
