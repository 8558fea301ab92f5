import { BackendPluginRegistrationPoints } from '@backstage/backend-plugin-api';
import {
  ModelResourceKind,
  defaultModelResourceKinds,
  resourceKindLabel,
} from '@seed-mlops/plugin-model-deployments-common';
import {
  ModelClusterClient,
  modelDeploymentsClusterClientExtensionPoint,
  modelDeploymentsResourceKindsExtensionPoint,
} from '@seed-mlops/plugin-model-deployments-node';

/** What modules gave through the plugin's extension points, read at init. */
export interface PluginExtensions {
  /** The built-in kinds, with modules' kinds added or replacing them. */
  resourceKinds(): ModelResourceKind[];
  /** The cluster client a module set, if one did. */
  clusterClient(): ModelClusterClient | undefined;
}

export function registerExtensionPoints(
  env: BackendPluginRegistrationPoints,
): PluginExtensions {
  const extraKinds: ModelResourceKind[] = [];
  env.registerExtensionPoint(modelDeploymentsResourceKindsExtensionPoint, {
    addResourceKind(...kinds) {
      extraKinds.push(...kinds);
    },
  });
  let clusterClient: ModelClusterClient | undefined;
  env.registerExtensionPoint(modelDeploymentsClusterClientExtensionPoint, {
    setClusterClient(client) {
      if (clusterClient) {
        throw new Error('The model-deployments cluster client is already set');
      }
      clusterClient = client;
    },
  });
  return {
    resourceKinds() {
      // Later additions with the same identity replace built-in kinds.
      const kindsById = new Map<string, ModelResourceKind>();
      for (const kind of [...defaultModelResourceKinds, ...extraKinds]) {
        kindsById.set(resourceKindLabel(kind), kind);
      }
      return [...kindsById.values()];
    },
    clusterClient: () => clusterClient,
  };
}
