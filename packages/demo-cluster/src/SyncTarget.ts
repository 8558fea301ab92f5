import { DemoClusterServer } from './DemoClusterServer';

/** Identifies one object the sync tool writes. */
export interface SyncObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/**
 * Where the demo's sync tool writes: the built-in demo cluster, or a real
 * API server. The two steps are separate because a real API server keeps
 * desired state and status apart (the `/status` subresource).
 */
export interface SyncTarget {
  /** For log lines, e.g. `the demo cluster`. */
  readonly description: string;
  /** The object as the cluster has it, or undefined when it does not exist. */
  get(ref: SyncObjectRef): Promise<Record<string, any> | undefined>;
  /**
   * Creates or updates the object's desired state (a manifest from Git,
   * without `status`); a status the object has already stays as it is.
   */
  apply(object: Record<string, any>): Promise<void>;
  /** Replaces the status of an existing object, as its operator would. */
  setStatus(ref: SyncObjectRef, status: unknown): Promise<void>;
}

/**
 * The cluster refused the object (its schema, a missing CRD, RBAC): unlike
 * an unreachable cluster, applying the same manifest again cannot help, so
 * the sync tool reports it and waits for the file to change.
 */
export class SyncRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncRejectedError';
  }
}

/** Writes into a {@link DemoClusterServer}'s store, whose watches see each change. */
export class DemoClusterSyncTarget implements SyncTarget {
  readonly description = 'the demo cluster';

  constructor(private readonly cluster: DemoClusterServer) {}

  private typeOf(ref: { apiVersion: string; kind: string }) {
    const type = this.cluster.typeOf(ref);
    if (!type) {
      throw new SyncRejectedError(
        `The demo cluster does not serve ${ref.apiVersion} ${ref.kind}`,
      );
    }
    return type;
  }

  async get(ref: SyncObjectRef) {
    return this.cluster.store.get(this.typeOf(ref), ref.namespace, ref.name);
  }

  async apply(object: Record<string, any>) {
    const { status: _ignored, ...desired } = object;
    const existing = this.cluster.store.get(
      this.typeOf(object as SyncObjectRef),
      object.metadata?.namespace,
      object.metadata?.name,
    );
    this.cluster.apply([
      existing?.status === undefined
        ? desired
        : { ...desired, status: existing.status },
    ]);
  }

  async setStatus(ref: SyncObjectRef, status: unknown) {
    const existing = await this.get(ref);
    if (!existing) {
      throw new Error(
        `${ref.kind} ${ref.namespace}/${ref.name} does not exist on the demo cluster`,
      );
    }
    this.cluster.apply([{ ...existing, status }]);
  }
}
