/** A resource type the demo cluster serves, as an API server's discovery would list it. */
export interface DemoResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

export const NAMESPACES: DemoResourceType = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  namespaced: false,
};

/** RoleBindings: core RBAC, served by every cluster. */
export const ROLE_BINDINGS: DemoResourceType = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  namespaced: true,
};

/** The model-serving kinds whose CRDs a Seldon + KServe cluster would have installed. */
export const MODEL_SERVING_TYPES: DemoResourceType[] = [
  {
    group: 'machinelearning.seldon.io',
    version: 'v1',
    kind: 'SeldonDeployment',
    plural: 'seldondeployments',
    namespaced: true,
  },
  {
    group: 'mlops.seldon.io',
    version: 'v1alpha1',
    kind: 'Model',
    plural: 'models',
    namespaced: true,
  },
  {
    group: 'mlops.seldon.io',
    version: 'v1alpha1',
    kind: 'Pipeline',
    plural: 'pipelines',
    namespaced: true,
  },
  {
    group: 'mlops.seldon.io',
    version: 'v1alpha1',
    kind: 'Experiment',
    plural: 'experiments',
    namespaced: true,
  },
  {
    group: 'mlops.seldon.io',
    version: 'v1alpha1',
    kind: 'Server',
    plural: 'servers',
    namespaced: true,
  },
  {
    group: 'serving.kserve.io',
    version: 'v1beta1',
    kind: 'InferenceService',
    plural: 'inferenceservices',
    namespaced: true,
  },
];

/**
 * Served by a CRD rather than built in: such objects carry
 * `metadata.generation`, and their lists `metadata.continue`.
 */
export function isCustomResource(type: DemoResourceType) {
  return type !== NAMESPACES && type !== ROLE_BINDINGS;
}

/** `seldondeployments.machinelearning.seldon.io`, or `namespaces` for the core group. */
export function qualifiedResourceOf(type: DemoResourceType) {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

/** The `details` of a Status about one resource type, as the API server writes them. */
export function statusDetailsOf(type: DemoResourceType, name?: string) {
  return {
    ...(name !== undefined ? { name } : {}),
    ...(type.group ? { group: type.group } : {}),
    kind: type.plural,
  };
}

export function apiVersionOf(type: DemoResourceType) {
  return type.group ? `${type.group}/${type.version}` : type.version;
}
