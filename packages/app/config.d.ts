export interface Config {
  app?: {
    /**
     * The example portal's demo sign-in page, which signs in as one of these
     * users through the backend's `demo` provider (auth.providers.demo).
     * Without this section the portal offers guest sign-in only.
     */
    demoSignIn?: {
      /**
       * The users the sign-in page offers, in order.
       *
       * @visibility frontend
       */
      users: Array<{
        /**
         * User entity name, e.g. `priya`; must be listed in
         * auth.providers.demo.users.
         *
         * @visibility frontend
         */
        name: string;
        /**
         * Display name shown on the page, e.g. `Priya Raman`.
         *
         * @visibility frontend
         */
        title: string;
        /**
         * One line about the user: their groups and what they can do.
         *
         * @visibility frontend
         */
        description?: string;
      }>;
    };
  };
  modelDeployments?: {
    /** The example backend's demo cluster (packages/demo-cluster). */
    demoCluster?: {
      /**
       * Whether it runs; the portal then marks the deployments as demo data.
       *
       * @visibility frontend
       */
      enabled?: boolean;
    };
  };
}
