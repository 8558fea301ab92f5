/** Small, realistic objects for the backend tests. */
export const namespace = (
  name: string,
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels, annotations },
});

export const seldonDeployment = (
  name: string,
  ns: string,
  state: 'Available' | 'Creating' | 'Failed',
  modelUri: string,
  labels: Record<string, string> = {},
) => ({
  apiVersion: 'machinelearning.seldon.io/v1',
  kind: 'SeldonDeployment',
  metadata: { name, namespace: ns, labels },
  spec: {
    predictors: [
      {
        name: 'default',
        replicas: 1,
        graph: {
          name: 'classifier',
          implementation: 'SKLEARN_SERVER',
          modelUri,
        },
      },
    ],
  },
  status: {
    state,
    deploymentStatus: {
      [`${name}-default-0-classifier`]: {
        replicas: 1,
        availableReplicas: state === 'Available' ? 1 : 0,
      },
    },
    address: {
      url: `http://${name}-default.${ns}.svc.cluster.local:8000/api/v1.0/predictions`,
    },
  },
});

export const inferenceService = (
  name: string,
  ns: string,
  labels: Record<string, string> = {},
) => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name, namespace: ns, labels },
  spec: {
    predictor: {
      model: {
        modelFormat: { name: 'sklearn' },
        storageUri: `gs://models/${name}`,
      },
    },
  },
  status: {
    url: `http://${name}.${ns}.example.com`,
    conditions: [{ type: 'Ready', status: 'True' }],
  },
});
