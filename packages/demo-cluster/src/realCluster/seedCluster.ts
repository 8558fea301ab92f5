import { KubeApiClient } from './KubeApiClient';
import { KubeApiError } from './KubeApiError';
import { describe, refOf } from './kubeObjects';

/** The field manager of what the seeding writes, as `kubectl` would name itself. */
export const SEED_FIELD_MANAGER = 'model-deployments-demo-seed';

/** One object the seeding created. */
export interface SeededObject {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** The status the server kept, when the manifest had one. */
  status?: unknown;
}

export interface SeedResult {
  objects: SeededObject[];
  /** What the server warned about, e.g. fields its schema dropped. */
  warnings: string[];
}

/** Fields only the API server sets; a create that carries them is refused. */
function withoutServerFields(object: Record<string, any>): Record<string, any> {
  const {
    uid: _uid,
    resourceVersion: _resourceVersion,
    generation: _generation,
    managedFields: _managedFields,
    ...metadata
  } = object.metadata ?? {};
  return { ...object, metadata };
}

const rank = (object: Record<string, any>) => {
  if (object.kind === 'Namespace') return 0;
  if (object.apiVersion?.startsWith('rbac.authorization.k8s.io/')) return 1;
  return 2;
};

/**
 * Creates the demo's seed objects on a real API server, as the demo cluster
 * loads them: each object with POST (create), then the status of the
 * manifest through the `/status` subresource, because a real server drops
 * `status` on create. Namespaces come first (including any that an object
 * names without a manifest of its own), then RBAC, then the rest.
 *
 * Nothing is skipped: the first object the server refuses (its CRD schema,
 * a missing CRD, an object that already exists) throws a
 * {@link KubeApiError} with the server's message. `fieldValidation=Strict`
 * makes a field the schema does not know an error too, rather than a field
 * silently dropped.
 */
export async function seedCluster(
  client: KubeApiClient,
  manifests: Array<Record<string, any>>,
  options: { onCreated?: (object: SeededObject) => void } = {},
): Promise<SeedResult> {
  const objects = manifests
    .map(withoutServerFields)
    .map((object, index) => ({ object, index }))
    .sort((a, b) => rank(a.object) - rank(b.object) || a.index - b.index)
    .map(({ object }) => object);

  const declared = new Set(
    objects.filter(o => o.kind === 'Namespace').map(o => o.metadata?.name),
  );
  const referenced = [
    ...new Set(
      objects.map(o => o.metadata?.namespace).filter(Boolean) as string[],
    ),
  ].filter(name => !declared.has(name));
  const implicitNamespaces = referenced.map(name => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  }));

  const result: SeedResult = { objects: [], warnings: [] };
  // Namespaces only named by objects may exist already (e.g. `default`).
  const missingNamespaces: Array<Record<string, any>> = [];
  for (const namespace of implicitNamespaces) {
    if (!(await client.get(refOf(namespace)))) {
      missingNamespaces.push(namespace);
    }
  }
  for (const object of [...missingNamespaces, ...objects]) {
    const seeded = await createWithStatus(client, object, result.warnings);
    result.objects.push(seeded);
    options.onCreated?.(seeded);
  }
  return result;
}

async function createWithStatus(
  client: KubeApiClient,
  object: Record<string, any>,
  warnings: string[],
): Promise<SeededObject> {
  if (!object.apiVersion || !object.kind || !object.metadata?.name) {
    throw new Error(
      `A manifest without apiVersion, kind or metadata.name: ${JSON.stringify(
        object,
      ).slice(0, 200)}`,
    );
  }
  const ref = refOf(object);
  const resource = await client.resourceFor(ref.apiVersion, ref.kind);
  const query = `?fieldManager=${SEED_FIELD_MANAGER}&fieldValidation=Strict`;
  const created = await client.request(
    'POST',
    `${client.collectionPath(resource, ref.namespace)}${query}`,
    { body: object },
  );
  warnings.push(...created.warnings.map(w => `${describe(ref)}: ${w}`));
  if (created.status !== 201) {
    throw new KubeApiError(
      `Creating ${describe(ref)}`,
      created.status,
      created.body,
    );
  }
  const seeded: SeededObject = {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    ...(resource.namespaced ? { namespace: ref.namespace } : {}),
    name: ref.name,
  };
  if (object.status === undefined) return seeded;
  if (!resource.hasStatusSubresource) {
    // Without the subresource the create kept the status.
    return { ...seeded, status: created.body.status };
  }
  // A merge patch of the status alone: no resourceVersion needed, and the
  // object was just created, so there is nothing of an operator's to keep.
  const patched = await client.request(
    'PATCH',
    `${client.collectionPath(resource, ref.namespace)}/${encodeURIComponent(
      ref.name,
    )}/status${query}`,
    {
      body: { status: object.status },
      contentType: 'application/merge-patch+json',
    },
  );
  warnings.push(...patched.warnings.map(w => `${describe(ref)} status: ${w}`));
  if (patched.status !== 200) {
    throw new KubeApiError(
      `Writing the status of ${describe(ref)}`,
      patched.status,
      patched.body,
    );
  }
  return { ...seeded, status: patched.body.status };
}
