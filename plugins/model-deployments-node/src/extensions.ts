import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { ModelResourceKind } from '@seed-mlops/plugin-model-deployments-common';

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
