import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { ModelResourceKind } from '@seed-mlops/plugin-model-deployments-common';
import { ModelClusterClient } from './services';

/**
 * Lets a backend module teach the model-deployments plugin about another
 * model-serving resource kind (for example a company CRD or Argo Rollouts),
 * together with the normalizer that turns its objects into deployments.
 *
 * @public
 */
export interface ModelDeploymentsResourceKindsExtensionPoint {
  /** Adds a kind; a kind with the same group, version and kind replaces the built-in one. */
  addResourceKind(...kinds: ModelResourceKind[]): void;
}

/**
 * @public
 */
export const modelDeploymentsResourceKindsExtensionPoint =
  createExtensionPoint<ModelDeploymentsResourceKindsExtensionPoint>({
    id: 'model-deployments.resource-kinds',
  });

/**
 * Lets a backend module replace how the plugin reaches clusters, e.g. with a
 * client that talks to API servers directly. Only one module may set it.
 *
 * @public
 */
export interface ModelDeploymentsClusterClientExtensionPoint {
  setClusterClient(client: ModelClusterClient): void;
}

/**
 * @public
 */
export const modelDeploymentsClusterClientExtensionPoint =
  createExtensionPoint<ModelDeploymentsClusterClientExtensionPoint>({
    id: 'model-deployments.cluster-client',
  });
