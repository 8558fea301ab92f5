import {
  EnvironmentError,
  KubernetesObject,
} from '@seed-mlops/plugin-model-deployments-common';

/**
 * A list response, as the Kubernetes API returns it.
 *
 * @public
 */
export interface KubernetesList {
  items: KubernetesObject[];
  metadata?: { resourceVersion?: string };
}

/**
 * Receives one watch event: its type (`ADDED`, `MODIFIED`, `DELETED`,
 * `BOOKMARK`, `ERROR`) and object.
 *
 * @public
 */
export type WatchEventHandler = (
  type: string,
  object: KubernetesObject & { code?: number },
) => void;

/**
 * Handle on a running watch.
 *
 * @public
 */
export interface WatchRequest {
  abort(): void;
}

/**
 * How the plugin reaches the clusters of its environments. The default goes
 * through the Kubernetes plugin's proxy, so cluster credentials stay in the
 * `kubernetes` config section; a module may set another through
 * `modelDeploymentsClusterClientExtensionPoint`. Failures reject with a
 * {@link ClusterRequestError}.
 *
 * @public
 */
export interface ModelClusterClient {
  list(
    cluster: string,
    path: string,
    query?: Record<string, string | undefined>,
  ): Promise<KubernetesList>;
  /**
   * Streams watch events until the server closes the stream (`done()`),
   * or an error happens (`done(error)`), or the request is aborted.
   */
  watch(
    cluster: string,
    path: string,
    query: Record<string, string | undefined>,
    onEvent: WatchEventHandler,
    done: (error?: unknown) => void,
  ): Promise<WatchRequest>;
  /** One object; undefined when the object does not exist. */
  get(cluster: string, path: string): Promise<KubernetesObject | undefined>;
  /**
   * Creates an object in the collection at `path`. An object that already
   * exists rejects with a ClusterRequestError of status code 409.
   */
  create(
    cluster: string,
    path: string,
    object: KubernetesObject,
  ): Promise<KubernetesObject>;
  /**
   * Asks the API server whether it would accept `object` at `path` (the
   * object's own URL): a server-side apply with `dryRun=All`, so schema
   * validation and admission run and nothing is stored. Resolves when it
   * would be accepted.
   */
  dryRunApply(
    cluster: string,
    path: string,
    object: KubernetesObject,
  ): Promise<void>;
}

/**
 * A failed cluster request, already classified for users.
 *
 * @public
 */
export class ClusterRequestError extends Error {
  readonly name = 'ClusterRequestError';
  constructor(
    readonly detail: EnvironmentError,
    /** For the informer: 410 means "relist". */
    readonly statusCode?: number,
  ) {
    super(detail.message);
  }
}
