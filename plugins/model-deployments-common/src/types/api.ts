import { Environment } from './environment';
import { FleetDeployment, ModelDeployment } from './deployment';
import { EnvironmentError } from './errors';

/**
 * A freeze window that is on: why, and when it ends.
 *
 * @public
 */
export interface EnvironmentFreeze {
  reason: string;
  /** When the window ends, ISO 8601. */
  until: string;
}

/**
 * What the backend knows of an environment's GitOps source.
 *
 * @public
 */
export interface EnvironmentGitState {
  repoUrl: string;
  branch?: string;
  /** Folder of the environment in the repository; '' for the root. */
  path: string;
  /** The commit the desired state was read from. */
  commit?: string;
  /** When the repository was last fetched successfully. */
  fetchedAt?: string;
  /** Why the repository could not be fetched (the last good commit, if any, is still used). */
  error?: string;
  /** Files that could not be read as manifests; the others were. */
  fileErrors: Array<{ path: string; message: string }>;
}

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
  /** The environment's GitOps source and how reading it went, when it has one. */
  git?: EnvironmentGitState;
  /** Set while a freeze window is on: promotions and rollbacks into it need force. */
  frozen?: EnvironmentFreeze;
}

/**
 * Response of `GET /deployments?entityRef=…`.
 *
 * @public
 */
export interface EntityDeploymentsResponse {
  entityRef: string;
  /** Every environment, in stage order. */
  environments: EnvironmentDeployments[];
}

/**
 * Response of `GET /environments`.
 *
 * @public
 */
export interface EnvironmentsResponse {
  environments: Environment[];
  /** Labelled namespaces that were not taken as environments, and why. */
  skipped?: SkippedEnvironment[];
}

/**
 * A labelled namespace that discovery did not take as an environment.
 *
 * @public
 */
export interface SkippedEnvironment {
  name: string;
  cluster: string;
  namespace?: string;
  reason: string;
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
  /** The environment's GitOps source and how reading it went, when it has one. */
  git?: EnvironmentGitState;
  /** Set while a freeze window is on: promotions and rollbacks into it need force. */
  frozen?: EnvironmentFreeze;
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
  deployments: FleetDeployment[];
  /** Environments where the caller may not see this model's deployments. */
  notPermitted?: string[];
  /** Why the deployments could not be matched, e.g. a malformed selector annotation. */
  problem?: string;
}

/**
 * Response of `GET /fleet`: every model the user may see in every environment.
 *
 * @public
 */
export interface FleetResponse {
  /** Every environment, in stage order, with its error if it could not be read. */
  environments: EnvironmentStatus[];
  /** Models sorted by title. */
  models: FleetModel[];
  /** Labelled namespaces that were not taken as environments, and why. */
  skipped?: SkippedEnvironment[];
}
