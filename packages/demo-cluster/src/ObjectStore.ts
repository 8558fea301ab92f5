import { randomUUID } from 'crypto';
import { EventEmitter } from 'events';
import { isDeepStrictEqual } from 'util';
import {
  DemoResourceType,
  NAMESPACES,
  apiVersionOf,
  isCustomResource,
} from './resourceTypes';

export interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  resourceType: DemoResourceType;
  object: StoredObject;
  /** The object before a modification, to tell when it stops matching a selector. */
  previous?: StoredObject;
  resourceVersion: number;
}

/**
 * In-memory objects with a cluster-wide resource version, like etcd behind an
 * API server, plus a bounded history so that watches can resume.
 */
/** What the API server fills in on a new namespace. */
function namespaceDefaults(input: Record<string, any>) {
  return {
    spec: { finalizers: ['kubernetes'], ...input.spec },
    status: { phase: 'Active', ...input.status },
  };
}

/**
 * A custom resource's generation: 1 when created, one more whenever
 * anything but its metadata and status changes, as the API server counts.
 */
function generationOf(
  input: Record<string, any>,
  existing: StoredObject | undefined,
): number {
  if (!existing) return 1;
  const desired = (o: Record<string, any>) => {
    const {
      metadata: _metadata,
      status: _status,
      apiVersion: _apiVersion,
      kind: _kind,
      ...rest
    } = o;
    return rest;
  };
  const previous = Number(existing.metadata.generation ?? 1);
  return isDeepStrictEqual(desired(input), desired(existing))
    ? previous
    : previous + 1;
}

export class ObjectStore {
  private readonly objects = new Map<string, StoredObject>();
  private readonly history: StoreEvent[] = [];
  private revision = 1;
  readonly events = new EventEmitter();

  constructor(private readonly historyLimit = 1000) {
    this.events.setMaxListeners(0);
  }

  get currentRevision() {
    return this.revision;
  }

  /** The oldest revision a watch can resume from; older ones get 410 Gone. */
  get oldestResumableRevision() {
    return this.history.length
      ? this.history[0].resourceVersion - 1
      : this.revision;
  }

  private key(
    type: DemoResourceType,
    namespace: string | undefined,
    name: string,
  ) {
    return `${apiVersionOf(type)}/${type.plural}/${namespace ?? ''}/${name}`;
  }

  list(type: DemoResourceType, namespace?: string): StoredObject[] {
    const prefix = `${apiVersionOf(type)}/${type.plural}/`;
    const result: StoredObject[] = [];
    for (const [key, object] of this.objects) {
      if (
        key.startsWith(prefix) &&
        (namespace === undefined || object.metadata.namespace === namespace)
      ) {
        result.push(object);
      }
    }
    return result.sort((a, b) =>
      `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(
        `${b.metadata.namespace}/${b.metadata.name}`,
      ),
    );
  }

  get(type: DemoResourceType, namespace: string | undefined, name: string) {
    return this.objects.get(this.key(type, namespace, name));
  }

  /** Creates or replaces an object, keeping its uid and creation time. */
  apply(type: DemoResourceType, input: Record<string, any>): StoredObject {
    const metadata = input.metadata ?? {};
    if (!metadata.name) {
      throw new Error(`${type.kind} without metadata.name`);
    }
    const namespace = type.namespaced ? metadata.namespace : undefined;
    if (type.namespaced && !namespace) {
      throw new Error(
        `${type.kind} ${metadata.name} without metadata.namespace`,
      );
    }
    const key = this.key(type, namespace, metadata.name);
    const existing = this.objects.get(key);
    this.revision += 1;
    const object: StoredObject = {
      ...structuredClone(input),
      ...(type === NAMESPACES ? namespaceDefaults(input) : {}),
      apiVersion: apiVersionOf(type),
      kind: type.kind,
      metadata: {
        ...structuredClone(metadata),
        ...(namespace ? { namespace } : {}),
        ...(type === NAMESPACES
          ? {
              // Set by the API server on every namespace since 1.21.
              labels: {
                ...metadata.labels,
                'kubernetes.io/metadata.name': metadata.name,
              },
            }
          : {}),
        ...(isCustomResource(type)
          ? { generation: generationOf(input, existing) }
          : {}),
        uid: existing?.metadata.uid ?? metadata.uid ?? randomUUID(),
        creationTimestamp:
          existing?.metadata.creationTimestamp ??
          metadata.creationTimestamp ??
          new Date().toISOString(),
        resourceVersion: String(this.revision),
      },
    };
    this.objects.set(key, object);
    this.record({
      type: existing ? 'MODIFIED' : 'ADDED',
      resourceType: type,
      object,
      ...(existing ? { previous: existing } : {}),
      resourceVersion: this.revision,
    });
    return object;
  }

  delete(type: DemoResourceType, namespace: string | undefined, name: string) {
    const key = this.key(type, namespace, name);
    const existing = this.objects.get(key);
    if (!existing) {
      return false;
    }
    this.objects.delete(key);
    this.revision += 1;
    this.record({
      type: 'DELETED',
      resourceType: type,
      object: {
        ...existing,
        metadata: {
          ...existing.metadata,
          resourceVersion: String(this.revision),
        },
      },
      resourceVersion: this.revision,
    });
    return true;
  }

  /** Events after `revision`, or undefined when they are no longer kept. */
  eventsSince(revision: number): StoreEvent[] | undefined {
    if (revision < this.oldestResumableRevision) {
      return undefined;
    }
    return this.history.filter(e => e.resourceVersion > revision);
  }

  /** Forgets history, as etcd compaction does; older watches then get 410 Gone. */
  compact() {
    this.history.length = 0;
  }

  private record(event: StoreEvent) {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      this.history.shift();
    }
    this.events.emit('event', event);
  }
}
