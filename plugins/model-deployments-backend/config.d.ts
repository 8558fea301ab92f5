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
        /**
         * How promotions into this environment reach Git: `commit` pushes to
         * the branch, `pull-request` opens one (GitHub, GitLab) or pushes a
         * branch. Default: `pull-request` when restricted, else `commit`.
         */
        promotionStrategy?: 'commit' | 'pull-request';
      };
      /**
       * Freeze windows: while one is on, promotions and rollbacks into this
       * environment are refused unless forced (the force-promote
       * permission), and its column says why and until when. Either an
       * absolute range (`from`, `until`: ISO 8601 times) or a recurring one
       * (`cron`: when it starts, in `timeZone`, default UTC; `duration`).
       */
      freeze?: Array<{
        /** Shown to people, e.g. `Black Friday` or `Weekend`. */
        reason: string;
        /** Start of an absolute window, e.g. `2026-11-27T00:00:00Z`. */
        from?: string;
        /** End of an absolute window. */
        until?: string;
        /** When a recurring window starts, e.g. `0 17 * * 5` (Fridays 17:00). */
        cron?: string;
        /** The cron expression's IANA time zone, e.g. `Europe/Berlin`. Default UTC. */
        timeZone?: string;
        /** How long a recurring window lasts, e.g. `{ hours: 63 }`; at most 31 days. */
        duration?: HumanDuration | string;
      }>;
      /**
       * Promotions into this environment by commit wait for approval in the
       * portal: recorded as pending, they run once `required` members of
       * `groups` other than the requester approve (on the entity page or
       * the fleet page), end at the first rejection, and expire after
       * `expiresAfter`. Pull-request promotions are not held: the pull
       * request's review is their approval. Rollbacks restore a state that
       * was already approved and are not held. Off unless set.
       */
      approval?: {
        /** Group entity refs, e.g. `group:default/release-managers`; `release-managers` means the same. */
        groups: string[];
        /** How many approvals, from different people. Default 1, at most 10. */
        required?: number;
        /** How long a promotion waits before it expires. Default 3 days. */
        expiresAfter?: HumanDuration | string;
      };
      /**
       * Rolls a promotion into this environment back when one of its
       * deployments turns Failed within `within` (default 30 minutes) of
       * the promotion, once the cluster runs what Git says (in sync): back
       * to the commit before the promotion, as the plugin itself, and the
       * requester and the model's owners are told. Off unless set.
       */
      autoRollback?: {
        /** Default true once the block is there. */
        enabled?: boolean;
        within?: HumanDuration | string;
      };
      /**
       * Gates checked before a model is promoted out of this environment
       * into a later one. A failing gate refuses the promotion unless it is
       * forced (the force-promote permission); the promote dialog, the dry
       * run and the scaffolder action show each gate with its value.
       */
      verification?: {
        /**
         * The model's deployments here must be Ready and in sync with Git.
         * Default true.
         */
        requireReady?: boolean;
        /**
         * How long they must have been Ready and in sync with Git: since
         * the later of their Ready condition's transition and the commit
         * that last changed their manifest, e.g. `{ minutes: 30 }`.
         */
        minSoakTime?: HumanDuration | string;
        /** The Prometheus HTTP API the metric gates ask. */
        prometheus?: {
          /** e.g. `http://prometheus.monitoring:9090`. */
          baseUrl: string;
          /** Longest a query may take. Default 5 seconds. */
          timeout?: HumanDuration | string;
        };
        /**
         * PromQL instant queries, one per gate, evaluated for each of the
         * model's deployments here: `{{namespace}}` and `{{name}}` are
         * replaced by the deployment's. The first sample is the value; no
         * sample fails the gate.
         */
        metrics?: Array<{
          /** Shown as the gate's name, e.g. `error-rate`. */
          name: string;
          query: string;
          /** The value must be at most this. */
          max?: number;
          /** The value must be at least this. */
          min?: number;
        }>;
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
    /**
     * How long one watch request stays open before the API server ends it
     * and the plugin resumes from where it was (with bookmarks, the server
     * keeps that point fresh). Lower it when a proxy or load balancer
     * between Backstage and a cluster cuts connections sooner: the
     * Kubernetes plugin's proxy sends nothing on a quiet watch until the
     * first event or bookmark. Default 4 minutes.
     */
    clusterWatchTimeout?: HumanDuration | string;
    /**
     * Reading the environments' desired state from Git. Credentials come
     * from the `integrations` section (GitHub apps or tokens, GitLab and
     * other tokens); public and loopback repositories need none.
     */
    gitops?: {
      /**
       * How often every repository is fetched, by each backend replica into
       * its own mirrors (a local task of the scheduler). Default 60 seconds.
       */
      refreshInterval?: HumanDuration | string;
      /** Upper bound for one clone or fetch. Default 60 seconds. */
      fetchTimeout?: HumanDuration | string;
      /** Commits of history kept per repository. Default 100. */
      historyDepth?: number;
      /** Where mirrors are kept. Default `<backend.workingDirectory or the OS temp dir>/model-deployments-gitops`. */
      cacheDir?: string;
      /**
       * Git hosts (`host` or `host:port`, as in a URL) that repositories may
       * live on, besides the hosts of the `integrations` section. Every
       * repository URL, configured, discovered from a namespace annotation or
       * sent to create an environment, must be on one of them; no request
       * goes anywhere else.
       */
      allowedHosts?: string[];
    };
    /**
     * How long the read views (a model's deployments, history, promotions,
     * the fleet) reuse what the catalog answered and what the permission
     * policy decided for the same user: a page view asks several routes at
     * once, and again on every change. Writes (promotions, environment
     * creation) always ask afresh. `0` turns it off. Default 10 seconds.
     */
    requestCacheTtl?: HumanDuration | string;
    /** Promoting models from one environment to the next. */
    promotion?: {
      /**
       * Allow promoting past a stage, e.g. dev straight to production.
       * Default false.
       */
      allowSkippingStages?: boolean;
      /**
       * How long a recorded promotion may stay `running` before another
       * backend replica marks it failed: the replica writing it must have
       * stopped. Default 15 times `gitops.fetchTimeout` (15 minutes), longer
       * than a promotion can take.
       */
      staleAfter?: HumanDuration | string;
      /**
       * How often one replica asks GitHub or GitLab about the pull requests
       * that promotions opened, to record them as merged or closed (and to
       * fetch the environment's repository after a merge). Default 5
       * minutes.
       */
      pullRequestCheckInterval?: HumanDuration | string;
      /**
       * How often one replica looks for promotions to roll back
       * automatically (environments' `autoRollback`). Default 30 seconds.
       */
      autoRollbackCheckInterval?: HumanDuration | string;
      /**
       * How often one replica ends promotions whose approval ran out of
       * time (environments' `approval.expiresAfter`), and tells their
       * requesters. An approval that comes after the time is refused
       * either way. Default 1 minute.
       */
      approvalCheckInterval?: HumanDuration | string;
      /**
       * Before writing, ask the target cluster's API server whether it
       * would accept the promoted manifests (a server-side dry run: CRD
       * schema and admission, nothing stored), and refuse a promotion it
       * would reject. Needs create and patch on the model kinds in the
       * target namespaces (examples/kubernetes/rbac-promotion-check.yaml);
       * without them the check is skipped and the result says so.
       * Default true.
       */
      clusterDryRun?: boolean;
      /**
       * Who commits. The user who asked is recorded in the commit message
       * (Seldon's JSON message). Default `Backstage <backstage@localhost>`.
       */
      committer?: { name: string; email: string };
    };
  };
}
