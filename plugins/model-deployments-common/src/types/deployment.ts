import type { GitCommit } from '../gitops/commits';
import type { SyncStatus } from '../gitops/syncState';

/**
 * Normalized lifecycle phase of a deployed model, whatever its resource kind.
 * `Stopped` is a model switched off on purpose (KServe's stop annotation, a
 * SeldonDeployment scaled to zero): not a failure, not unknown.
 *
 * @public
 */
export type DeploymentPhase =
  | 'Ready'
  | 'Progressing'
  | 'Failed'
  | 'Stopped'
  | 'Unknown';

/**
 * Every phase, in the order filters and legends list them.
 *
 * @public
 */
export const DEPLOYMENT_PHASES: readonly DeploymentPhase[] = [
  'Ready',
  'Progressing',
  'Failed',
  'Stopped',
  'Unknown',
];

/**
 * The role a traffic target plays.
 *
 * `shadow` and `mirror` receive a copy of requests whose responses are
 * discarded; `main` and `canary` share live traffic.
 *
 * @public
 */
export type TrafficRole = 'main' | 'canary' | 'shadow' | 'mirror';

/**
 * One destination of a deployment's traffic.
 *
 * @public
 */
export interface TrafficTarget {
  /** Predictor, candidate, model or revision name. */
  name: string;
  /** Share of requests, 0 to 100. For shadow and mirror: the share copied. */
  percent: number;
  role: TrafficRole;
}

/**
 * What runs: a model artifact, a container image, or both, per component.
 *
 * @public
 */
export interface ModelVersion {
  /** Predictor / graph node, model step or KServe component the version belongs to. */
  component: string;
  /** Model artifact: SeldonDeployment `modelUri`, Seldon Core 2 / KServe `storageUri`. */
  modelUri?: string;
  /** Container image, when one is set explicitly. */
  image?: string;
  /** Serving runtime or implementation, e.g. `SKLEARN_SERVER` or `sklearn`. */
  runtime?: string;
}

/**
 * A Kubernetes status condition, as reported by the resource.
 *
 * @public
 */
export interface DeploymentCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/**
 * How to call a deployment.
 *
 * @public
 */
export interface DeploymentEndpoint {
  /** URL of the inference endpoint, in-cluster or external. */
  url: string;
  /** Headers the request needs, e.g. `Seldon-Model` for Seldon Core 2 routing. */
  headers?: Record<string, string>;
}

/**
 * The status of one model-serving resource, normalized across resource kinds.
 *
 * @public
 */
export interface NormalizedDeploymentStatus {
  phase: DeploymentPhase;
  /** Why the deployment is in this phase, when the resource says. */
  message?: string;
  /** Replicas asked for; absent when the resource states none. */
  desiredReplicas?: number;
  /** Replicas the resource reports available; absent when it reports none. */
  availableReplicas?: number;
  versions: ModelVersion[];
  /** Where requests go, as the resource states it; empty when it names no target. */
  traffic: TrafficTarget[];
  endpoint?: DeploymentEndpoint;
  conditions: DeploymentCondition[];
  /**
   * What is wrong with the resource as published, e.g. a traffic split that
   * does not add up to 100. The values above are kept as stated.
   */
  warnings?: string[];
  /** The Seldon Core 2 Server a Model asks for (`spec.server`). */
  server?: ServerRef;
}

/**
 * The Seldon Core 2 Server a Model is loaded on, and its state when the
 * environment has it.
 *
 * @public
 */
export interface ServerRef {
  name: string;
  /** The Server's phase, when its resource is in the same environment. */
  phase?: DeploymentPhase;
  message?: string;
}

/**
 * One model-serving resource in one environment.
 *
 * @public
 */
export interface ModelDeployment extends NormalizedDeploymentStatus {
  /** Name of the environment it runs in. */
  environment: string;
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  uid?: string;
  labels: Record<string, string>;
  /** `metadata.creationTimestamp`. */
  createdAt?: string;
  /** Latest condition transition, or the creation time when there is none. */
  updatedAt?: string;
  /** How the live object compares with Git; absent when the environment has no GitOps source. */
  sync?: SyncStatus;
  /** The file in Git that holds this deployment's manifest. */
  gitPath?: string;
  /** The commit that last changed that file, when it is within the kept history. */
  lastCommit?: GitCommit;
}

/**
 * A deployment as the fleet page shows it: what it is, whether it is
 * healthy and in sync, and what runs. The entity page's view
 * ({@link ModelDeployment}) has the rest (conditions, endpoint, traffic,
 * Git path and commit); leaving it out keeps the fleet of a thousand
 * models small.
 *
 * @public
 */
export type FleetDeployment = Pick<
  ModelDeployment,
  | 'environment'
  | 'kind'
  | 'name'
  | 'phase'
  | 'message'
  | 'warnings'
  | 'versions'
  | 'desiredReplicas'
  | 'availableReplicas'
> & {
  /** How the live object compares with Git, without the differences. */
  sync?: Pick<SyncStatus, 'state'>;
};
