export interface Config {
  /** Configuration of the model-deployments plugins. */
  modelDeployments?: {
    /** Settings of the frontend plugin. */
    ui?: {
      /**
       * How often the deployment views refresh, in seconds. 0 disables
       * automatic refresh. Defaults to 30.
       *
       * @visibility frontend
       */
      refreshIntervalSeconds?: number;
    };
  };
}
