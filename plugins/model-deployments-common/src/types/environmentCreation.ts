import type { PromotionFile, PromotionStrategy } from './promotion';

/**
 * A request to create an environment: its namespace, labelled so discovery
 * finds it, and its GitOps folder.
 *
 * @public
 */
export interface EnvironmentCreationRequest {
  /** Environment name, a DNS-1123 label. */
  name: string;
  title?: string;
  /** Cluster name from the `kubernetes` config section. */
  cluster: string;
  /** Namespace; defaults to the name. */
  namespace?: string;
  /** Position in the pipeline, e.g. 15 between dev (10) and staging (20). */
  stage: number;
  /** Marks it restricted, as `seldon.restricted=true` does. Default false. */
  restricted?: boolean;
  /** Group entity refs bound to the ClusterRole `edit` in the namespace. */
  ownerGroups?: string[];
  gitops?: { repoUrl: string; branch?: string; path?: string };
  /** How the GitOps folder is added. Default: a commit. */
  strategy?: PromotionStrategy;
  /** Work out what would be created; create nothing. */
  dryRun?: boolean;
}

/**
 * What creating an environment did, or would do on a dry run.
 *
 * @public
 */
export interface EnvironmentCreationResult {
  status: 'created' | 'up-to-date' | 'dry-run';
  message: string;
  /** The Kubernetes objects, and whether each is created or already there. */
  objects: Array<{
    action: 'create' | 'exists';
    object: {
      apiVersion: string;
      kind: string;
      metadata: any;
      [key: string]: unknown;
    };
  }>;
  /** The GitOps files written (or that would be). */
  files: PromotionFile[];
  commit?: { sha: string; url?: string };
  branch?: string;
  pullRequest?: { number: number; url: string };
}
