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
       * A real Kubernetes API server to use instead of the built-in demo
       * cluster, as `bash scripts/start.sh --real-cluster` configures. When
       * set, the demo cluster is not started (`port`, `token` and
       * `manifests` are unused; seed the server yourself, as start.sh does
       * with `packages/demo-cluster/src/realCluster/cli.ts`), and the sync
       * tool applies changes to this server: server-side apply (field
       * manager `model-deployments-demo-sync`) and the status through the
       * `/status` subresource. Point the `kubernetes` cluster entry of the
       * environments at the same server, with its own least-privilege
       * token. For local trials only.
       */
      apiServer?: {
        /** e.g. `https://127.0.0.1:6443`. */
        url: string;
        /**
         * Bearer token of an identity that may apply the model-serving kinds
         * and write their status (the sync tool stands in for a sync tool
         * and an operator), e.g. the admin of a local control plane.
         * @visibility secret
         */
        token: string;
        /** Accept any TLS certificate, e.g. a local control plane's self-signed one. Default false. */
        skipTLSVerify?: boolean;
        /** PEM of the CA that signed the server's certificate, when it is not a public one. */
        caData?: string;
      };
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
