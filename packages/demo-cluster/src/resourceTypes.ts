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

export function apiVersionOf(type: DemoResourceType) {
  return type.group ? `${type.group}/${type.version}` : type.version;
}
