import { Environment } from './environment';
import { ModelDeployment } from './deployment';
import { EnvironmentError } from './errors';

/**
 * What one environment holds for one entity.
 *
 * @public
 */
export interface EnvironmentDeployments {
  environment: Environment;
  /**
   * The entity's deployments here; empty when it is not deployed here. When
   * `error` is set, these are the last ones read before the failure (as of
   * `syncedAt`), or empty when nothing was ever read.
   */
  deployments: ModelDeployment[];
  /** Set when nothing could be read from this environment. */
  error?: EnvironmentError;
  /**
   * Resource kinds that could not be read while others could, for example a
   * CRD that is not installed in this cluster.
   */
  warnings: EnvironmentError[];
  /** When the cached data last matched the cluster; older data is stale. */
  syncedAt?: string;
}

/**
 * Response of `GET /deployments?entityRef=…`.
 *
 * @public
 */
export interface EntityDeploymentsResponse {
  entityRef: string;
  /** True when the data comes from the built-in demo cluster, not a real one. */
  demo: boolean;
  /** Every environment, in stage order. */
  environments: EnvironmentDeployments[];
}

/**
 * Response of `GET /environments`.
 *
 * @public
 */
export interface EnvironmentsResponse {
  demo: boolean;
  environments: Environment[];
}
