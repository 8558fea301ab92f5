export interface Config {
  modelDeployments?: {
    /**
     * The built-in demo cluster: a small Kubernetes API server on loopback,
     * seeded with example model deployments. For the example portal and
     * local trials only.
     */
    demoCluster?: {
      /** Start the demo cluster with the backend. Off by default. */
      enabled?: boolean;
      /** Loopback address to listen on. Default 127.0.0.1. */
      host?: string;
      /** Port to listen on. Default 7090. */
      port?: number;
      /**
       * Bearer token the demo cluster requires; the matching
       * `kubernetes` cluster entry sends it as its service account token.
       * @visibility secret
       */
      token?: string;
      /** Folder of seed manifests, relative to the backend's working directory. Default ../../examples/cluster. */
      manifests?: string;
      /**
       * The demo Git smart-HTTP server (Debian's `git http-backend`) that
       * holds the environments' GitOps repositories: each subfolder of
       * `source` is served as `http://<host>:<port>/<folder>.git`, built
       * from a temporary copy.
       */
      git?: {
        /** Start it with the demo cluster. Default true. */
        enabled?: boolean;
        /** Port to listen on. Default 7091. */
        port?: number;
        /** Folder of repositories, relative to the backend's working directory. Default ../../examples/gitops. */
        source?: string;
        /**
         * Seconds between looks at the repositories by the demo's stand-in
         * for a sync tool, which applies changed manifests of the
         * environments whose `gitops.repoUrl` is on this server (a promotion
         * shows up within a few seconds). 0 turns it off. Default 2.
         */
        syncIntervalSeconds?: number;
        /** Seconds an applied change stays Progressing before it is Ready. Default 3. */
        rolloutSeconds?: number;
      };
    };
  };
}
