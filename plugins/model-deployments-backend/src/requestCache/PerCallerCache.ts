import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { LRUCache } from 'lru-cache';

/** Who is asking, as a cache key: the user's entity ref, or the service's subject. */
export function callerKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return `${principal.type}:${
    principal.userEntityRef ?? principal.subject ?? ''
  }`;
}

/**
 * Answers that depend on who asks (a permission decision, a catalog entity
 * as that user may see it), kept for a few seconds per caller and question:
 * a page view and the requests that follow it ask the same things. Callers
 * asking at once share one request; a failure is not kept.
 */
export class PerCallerCache<T> {
  /** Undefined when keeping answers is turned off (a TTL of 0). */
  private readonly entries?: LRUCache<string, Promise<T>>;

  constructor(options: { ttlMs: number; max?: number }) {
    if (options.ttlMs > 0) {
      this.entries = new LRUCache({
        max: options.max ?? 10_000,
        ttl: options.ttlMs,
      });
    }
  }

  get(
    credentials: BackstageCredentials,
    question: string,
    load: () => Promise<T>,
  ): Promise<T> {
    const entries = this.entries;
    if (!entries) return load();
    const key = `${callerKey(credentials)}\u0000${question}`;
    const cached = entries.get(key);
    if (cached) return cached;
    const loading = load();
    entries.set(key, loading);
    loading.catch(() => {
      if (entries.get(key) === loading) entries.delete(key);
    });
    return loading;
  }
}
