import { createApiRef } from '@backstage/core-plugin-api';
import {
  EntityDeploymentsResponse,
  EnvironmentsResponse,
  FleetResponse,
} from '@seed-mlops/plugin-model-deployments-common';

/**
 * Reads model deployments from the model-deployments backend.
 *
 * @public
 */
export interface ModelDeploymentsApi {
  /** Every configured or discovered environment, in stage order. */
  getEnvironments(): Promise<EnvironmentsResponse>;
  /**
   * The deployments of one catalog entity in every environment.
   *
   * @param entityRef - a full entity ref such as `component:default/fraud-scorer`
   */
  getEntityDeployments(entityRef: string): Promise<EntityDeploymentsResponse>;
  /** Every model the user may see, with its deployments in every environment. */
  getFleet(): Promise<FleetResponse>;
}

/**
 * Reference to the {@link ModelDeploymentsApi}.
 *
 * @public
 */
export const modelDeploymentsApiRef = createApiRef<ModelDeploymentsApi>({
  id: 'plugin.model-deployments.service',
});
