export interface Config {
  auth?: {
    providers?: {
      /**
       * DEMO ONLY: the example portal's `demo` sign-in provider (see
       * src/modules/demoUsersAuthProvider.ts). It signs in as the user named
       * by the `x-demo-user` request header without checking who sends it,
       * so never configure it outside a demo. Leave this section out and the
       * provider is not registered.
       */
      demo?: {
        /**
         * Names of the user entities (default namespace) one may sign in
         * as, e.g. [guest, priya, tomas].
         */
        users: string[];
        /**
         * Sign in even when NODE_ENV is not `development`. As dangerous as
         * it sounds; false by default.
         */
        dangerouslyAllowOutsideDevelopment?: boolean;
      };
    };
  };
}
