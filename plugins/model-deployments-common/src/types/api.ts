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

/**
 * The state of one environment as a whole, without any entity's deployments.
 *
 * @public
 */
export interface EnvironmentStatus {
  environment: Environment;
  /** Set when nothing could be read from this environment. */
  error?: EnvironmentError;
  /** Resource kinds that could not be read while others could. */
  warnings: EnvironmentError[];
  /** When the cached data last matched the cluster. */
  syncedAt?: string;
}

/**
 * One model of the fleet: a catalog entity and its deployments everywhere.
 *
 * @public
 */
export interface FleetModel {
  /** e.g. `component:default/fraud-scorer`. */
  entityRef: string;
  /** The entity's title, else its name. */
  title: string;
  /** `spec.owner` as a full entity ref, e.g. `group:default/risk-ml`. */
  owner?: string;
  /** `spec.system` as a full entity ref, when set. */
  system?: string;
  /** `spec.lifecycle`, when set. */
  lifecycle?: string;
  /** Deployments in every readable environment; each names its environment. */
  deployments: ModelDeployment[];
  /** Why the deployments could not be matched, e.g. a malformed selector annotation. */
  problem?: string;
}

/**
 * Response of `GET /fleet`: every model the user may see in every environment.
 *
 * @public
 */
export interface FleetResponse {
  demo: boolean;
  /** Every environment, in stage order, with its error if it could not be read. */
  environments: EnvironmentStatus[];
  /** Models sorted by title. */
  models: FleetModel[];
}
