import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the model-deployments plugins. */
  modelDeployments?: {
    /**
     * The environments, in pipeline order: the first entry is the least
     * stable stage (dev), the last the most stable (production). Clusters
     * are referenced by the name they have in the `kubernetes` section,
     * whose credentials are used to reach them.
     */
    environments?: Array<{
      /** Identifier, a DNS-1123 label such as `staging`. */
      name: string;
      /**
       * Display name. Defaults to the name.
       * @visibility frontend
       */
      title?: string;
      /** Position in the pipeline; defaults to 10 × the entry's 1-based position. */
      stage?: number;
      /** Cluster name from `kubernetes.clusterLocatorMethods`. */
      cluster: string;
      /** The namespace. Leave it out to make the whole cluster one environment. */
      namespace?: string;
      /** Marks the environment restricted, as `seldon.restricted=true` does. Default false. */
      restricted?: boolean;
      /** Where the environment's desired state lives in Git. */
      gitops?: {
        /** Repository URL. */
        repoUrl: string;
        /** Branch; the repository's default when unset. */
        branch?: string;
        /** Folder in the repository; defaults to the namespace, else the name. */
        path?: string;
      };
    }>;
    /**
     * Discovers environments from namespaces labelled `seldon.restricted`
     * (Seldon Enterprise Platform's convention). The labels
     * `model-deployments.seed-mlops.io/environment` and
     * `model-deployments.seed-mlops.io/stage` name and order them.
     */
    discovery?: {
      /** Turn discovery on. Off by default. */
      enabled?: boolean;
      /** Names of the clusters (from the `kubernetes` section) to search. */
      clusters?: string[];
    };
    /**
     * Upper bound for one request to a cluster, and for a page view to wait
     * for an environment that has not been read yet. Default 5 seconds.
     */
    clusterRequestTimeout?: HumanDuration | string;
  };
}
