import { SyncObjectRef, SyncRejectedError, SyncTarget } from '../SyncTarget';
import { KubeApiClient } from './KubeApiClient';
import { KubeApiError } from './KubeApiError';
import { describe } from './kubeObjects';

/** The field manager of the demo sync tool's writes, as `kubectl` would name itself. */
export const SYNC_FIELD_MANAGER = 'model-deployments-demo-sync';

/** Attempts at a status update that keeps meeting a newer resourceVersion. */
const STATUS_ATTEMPTS = 5;

/**
 * A 4xx other than a timeout or throttling is the server refusing the
 * object; so is a field the schema does not declare in an apply patch,
 * which API servers answer with 500 (kubernetes/kubernetes#139253).
 * Anything else may pass when tried again.
 */
function rejectedOrRetryable(error: KubeApiError) {
  const refused =
    (error.status >= 400 &&
      error.status < 500 &&
      error.status !== 408 &&
      error.status !== 429) ||
    (error.status === 500 &&
      /failed to create typed patch object/.test(error.message));
  return refused ? new SyncRejectedError(error.message) : error;
}

/**
 * Writes to a real API server, as Argo CD or Flux would: the desired state
 * with server-side apply (`force=true`: this manager wins conflicts, as a
 * sync tool must) and the status through the `/status` subresource, which
 * nothing else on a real server writes. `fieldValidation=Strict` turns a
 * field the CRD schema does not know into an error rather than a field
 * silently dropped.
 */
export class KubeApiSyncTarget implements SyncTarget {
  constructor(private readonly client: KubeApiClient) {}

  get description() {
    return `the API server at ${this.client.url}`;
  }

  get(ref: SyncObjectRef) {
    return this.client.get(ref);
  }

  async apply(object: Record<string, any>) {
    const {
      status: _status,
      metadata: {
        uid: _uid,
        resourceVersion: _resourceVersion,
        creationTimestamp: _creationTimestamp,
        generation: _generation,
        managedFields: _managedFields,
        ...metadata
      } = {},
      ...rest
    } = object;
    const { path } = await this.client.objectPath({
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace: metadata.namespace,
      name: metadata.name,
    });
    const res = await this.client.request(
      'PATCH',
      `${path}?fieldManager=${SYNC_FIELD_MANAGER}&force=true&fieldValidation=Strict`,
      {
        // JSON is YAML, which is what an apply patch is.
        body: { ...rest, metadata },
        contentType: 'application/apply-patch+yaml',
      },
    );
    if (res.status !== 200 && res.status !== 201) {
      throw rejectedOrRetryable(
        new KubeApiError(`Applying ${describe(object)}`, res.status, res.body),
      );
    }
  }

  /**
   * A PUT of the whole status, so that it is replaced like an operator's
   * UpdateStatus does; server-side apply or a merge patch would keep the
   * keys of an earlier status (e.g. of a predictor that is gone). The
   * resourceVersion it needs comes from a fresh GET, retried on conflict.
   */
  async setStatus(ref: SyncObjectRef, status: unknown) {
    const { resource, path } = await this.client.objectPath(ref);
    for (let attempt = 1; ; attempt++) {
      const current = await this.client.get(ref);
      if (!current) {
        throw new Error(
          `${describe(ref)} does not exist on ${this.description}`,
        );
      }
      const res = await this.client.request(
        'PUT',
        `${
          resource.hasStatusSubresource ? `${path}/status` : path
        }?fieldManager=${SYNC_FIELD_MANAGER}&fieldValidation=Strict`,
        { body: { ...current, status } },
      );
      if (res.status === 200) return;
      if (res.status !== 409 || attempt >= STATUS_ATTEMPTS) {
        throw rejectedOrRetryable(
          new KubeApiError(
            `Writing the status of ${describe(ref)}`,
            res.status,
            res.body,
          ),
        );
      }
    }
  }
}
