import type { PromotionStrategy } from './promotion';

/**
 * Where an environment's desired state lives in Git.
 *
 * @public
 */
export interface GitOpsSource {
  /** Repository URL, for example `https://github.com/acme/gitops`. */
  repoUrl: string;
  /** Branch that the sync tool applies; the repository default when unset. */
  branch?: string;
  /** Folder inside the repository; the namespace name in Seldon's layout. */
  path?: string;
  /**
   * How promotions into this environment reach Git. Unset: a pull request
   * for restricted environments, a commit for the others.
   */
  promotionStrategy?: PromotionStrategy;
}

/**
 * How an environment became known to the backend.
 *
 * @public
 */
export type EnvironmentOrigin = 'config' | 'discovery';

/**
 * One stage of the pipeline `dev > … > staging > production`: a namespace
 * (the default, as in Seldon Enterprise Platform) or a whole cluster.
 *
 * @public
 */
export interface Environment {
  /** Stable identifier, a DNS-1123 label such as `staging`. */
  name: string;
  /** Human-friendly name. */
  title: string;
  /** Position in the pipeline; lower stages come first and are less stable. */
  stage: number;
  /** Name of the cluster in the `kubernetes` config section. */
  cluster: string;
  /** The namespace; absent when the environment is the whole cluster. */
  namespace?: string;
  /** Whether the environment is restricted (`seldon.restricted=true`). */
  restricted: boolean;
  /** Git source of the desired state, when the environment is GitOps-managed. */
  gitops?: GitOpsSource;
  /** Declared in config or discovered from namespace labels. */
  origin: EnvironmentOrigin;
}
