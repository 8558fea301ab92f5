import { ObjectStore } from '../ObjectStore';
import { DemoResourceType } from '../resourceTypes';

/** How the demo cluster behaves; the fault options exist for tests. */
export interface DemoClusterOptions {
  /** Loopback only. Defaults to 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Bearer token every request must carry; unset accepts any request. */
  token?: string;
  /** Resource types whose CRDs are "installed"; defaults to all five model-serving kinds. */
  resourceTypes?: DemoResourceType[];
  /** Namespaces the token may not read: requests for them answer 403, as RBAC would. */
  forbiddenNamespaces?: string[];
  /** Delay before answering any request, to simulate a slow cluster. */
  latencyMs?: number;
  /**
   * How often a watch that asked for bookmarks receives one (the API server:
   * every minute, and 2 s before the watch times out). Default 60 s.
   */
  bookmarkIntervalMs?: number;
}

/**
 * Requests answered so far, by verb, and watches answered 410 Gone; lets
 * tests tell a relist from a watch event.
 */
export interface RequestCounts {
  get: number;
  list: number;
  watch: number;
  gone: number;
  create: number;
}

/**
 * What the request handlers read and count: the {@link DemoClusterServer}
 * itself, whose options tests may change while it runs, so handlers read
 * them per request.
 */
export interface ServerState {
  readonly store: ObjectStore;
  readonly options: DemoClusterOptions;
  readonly resourceTypes: DemoResourceType[];
  readonly requestCounts: RequestCounts;
}
