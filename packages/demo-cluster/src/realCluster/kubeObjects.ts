/** Identifies one object. `namespace` is ignored for cluster-scoped kinds. */
export interface KubeObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** `Model production/price-optimizer`, for messages. */
export function describe(ref: {
  kind?: string;
  namespace?: string;
  name?: string;
  metadata?: { namespace?: string; name?: string };
}) {
  const namespace = ref.namespace ?? ref.metadata?.namespace;
  const name = ref.name ?? ref.metadata?.name;
  return `${ref.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** The object's identity, from its manifest. */
export function refOf(object: Record<string, any>): KubeObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata?.namespace,
    name: object.metadata?.name,
  };
}
