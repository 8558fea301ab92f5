/**
 * What changed, as a signal says it: the page refetches only that.
 *
 * - `deployments`: an object in a cluster (status, replicas, traffic, …)
 * - `git`: an environment's GitOps repository moved (desired state, sync)
 * - `promotions`: a promotion was recorded or settled
 *
 * @public
 */
export type ModelDeploymentsChange = 'deployments' | 'git' | 'promotions';

/**
 * The message of a model-deployments signal. It says only that something
 * changed, never what: a page learns the new state by asking the API with its
 * user's permissions.
 *
 * @public
 */
export interface ModelDeploymentsSignal {
  changed: ModelDeploymentsChange[];
  /** Index signature for the signals API's JsonObject. */
  [key: string]: ModelDeploymentsChange[];
}

/**
 * The signals channel of the fleet: any model in any environment changed.
 *
 * @public
 */
export const MODEL_DEPLOYMENTS_FLEET_CHANNEL = 'model-deployments:fleet';

/**
 * The signals channel of one entity's deployments, promotions and Git state.
 *
 * @param entityRef - the entity's ref as `stringifyEntityRef` writes it
 * @public
 */
export function modelDeploymentsEntityChannel(entityRef: string): string {
  return `model-deployments:entity:${entityRef}`;
}
