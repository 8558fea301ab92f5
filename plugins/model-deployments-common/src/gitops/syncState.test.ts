import { KubernetesObject } from '../normalizers/kubernetesObject';
import { compareWithGit, SyncStatus } from './syncState';

const sdep = (
  predictors: any[],
  extra: Partial<KubernetesObject> = {},
): KubernetesObject => ({
  apiVersion: 'machinelearning.seldon.io/v1',
  kind: 'SeldonDeployment',
  metadata: { name: 'fraud-scorer' },
  spec: { protocol: 'v2', predictors },
  ...extra,
});
const predictor = (name: string, modelUri: string, more: object = {}) => ({
  name,
  graph: { name: 'classifier', implementation: 'SKLEARN_SERVER', modelUri },
  ...more,
});
// What the cluster returns for what was applied: status, server-set
// metadata and defaults added.
const live = (object: KubernetesObject, specDefaults: object = {}) => ({
  ...object,
  metadata: {
    ...object.metadata,
    namespace: 'production',
    uid: 'a1',
    resourceVersion: '42',
    generation: 3,
    creationTimestamp: '2026-11-01T00:00:00Z',
    managedFields: [{ manager: 'argocd' }],
  },
  spec: { ...object.spec, ...specDefaults },
  status: { state: 'Available', replicas: 2 },
});

const model = (spec: object): KubernetesObject => ({
  apiVersion: 'mlops.seldon.io/v1alpha1',
  kind: 'Model',
  metadata: { name: 'price-optimizer' },
  spec,
});
const experiment = (candidates: any[], mirror?: object): KubernetesObject => ({
  apiVersion: 'mlops.seldon.io/v1alpha1',
  kind: 'Experiment',
  metadata: { name: 'search-ranker' },
  spec: { default: 'v1', candidates, ...(mirror ? { mirror } : {}) },
});
const isvc = (predictorSpec: object): KubernetesObject => ({
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: { name: 'sentiment' },
  spec: { predictor: predictorSpec },
});

const canary = sdep([
  predictor('main', 'gs://m/fraud/v3', { traffic: 90, replicas: 4 }),
  predictor('canary', 'gs://m/fraud/v4', {
    traffic: 10,
    annotations: { 'seldon.io/canary': 'true' },
  }),
]);

/** A kind a module added (here Argo Rollouts), compared by its whole spec. */
const rollout = (spec: object): KubernetesObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'fraud-scorer' },
  spec,
});

const cases: Array<
  [
    string,
    KubernetesObject | undefined,
    KubernetesObject | undefined,
    SyncStatus,
  ]
> = [
  [
    'identical apart from status and server-set fields',
    canary,
    live(canary),
    { state: 'InSync' },
  ],
  [
    'fields the server defaults when Git leaves them out',
    model({ storageUri: 'gs://m/pricing/v2' }),
    live(model({ storageUri: 'gs://m/pricing/v2' }), {
      replicas: 1,
      memory: '1Gi',
    }),
    { state: 'InSync' },
  ],
  [
    'a new model version and replica count in Git',
    sdep([predictor('default', 'gs://m/iris/v4', { replicas: 2 })]),
    live(sdep([predictor('default', 'gs://m/iris/v3', { replicas: 1 })])),
    {
      state: 'OutOfSync',
      differences: [
        {
          field: 'predictors[default].graph.modelUri',
          git: 'gs://m/iris/v4',
          cluster: 'gs://m/iris/v3',
        },
        { field: 'predictors[default].replicas', git: 2, cluster: 1 },
      ],
    },
  ],
  [
    'a canary removed in Git but still running',
    sdep([predictor('main', 'gs://m/fraud/v3', { traffic: 90, replicas: 4 })]),
    live(canary),
    {
      state: 'OutOfSync',
      differences: [
        {
          field: 'predictors[canary].graph.modelUri',
          git: undefined,
          cluster: 'gs://m/fraud/v4',
        },
      ],
    },
  ],
  [
    'a traffic split changed in Git',
    sdep([
      predictor('main', 'gs://m/fraud/v3', { traffic: 50, replicas: 4 }),
      predictor('canary', 'gs://m/fraud/v4', { traffic: 50 }),
    ]),
    live(canary),
    {
      state: 'OutOfSync',
      differences: [
        { field: 'predictors[main].traffic', git: 50, cluster: 90 },
        { field: 'predictors[canary].traffic', git: 50, cluster: 10 },
      ],
    },
  ],
  [
    'an image changed in a component spec',
    sdep([
      predictor('default', '', {
        componentSpecs: [
          {
            spec: {
              containers: [{ name: 'classifier', image: 'acme/iris:2.1.0' }],
            },
          },
        ],
      }),
    ]),
    live(
      sdep([
        predictor('default', '', {
          componentSpecs: [
            {
              spec: {
                containers: [{ name: 'classifier', image: 'acme/iris:2.0.0' }],
              },
            },
          ],
        }),
      ]),
    ),
    {
      state: 'OutOfSync',
      differences: [
        {
          field:
            'predictors[default].componentSpecs[0].containers[classifier].image',
          git: 'acme/iris:2.1.0',
          cluster: 'acme/iris:2.0.0',
        },
      ],
    },
  ],
  [
    'experiment weights and mirror',
    experiment(
      [
        { name: 'v1', weight: 90 },
        { name: 'v2', weight: 10 },
      ],
      { name: 'v3', percent: 100 },
    ),
    live(
      experiment([
        { name: 'v1', weight: 90 },
        { name: 'v2', weight: 10 },
      ]),
    ),
    {
      state: 'OutOfSync',
      differences: [
        { field: 'mirror.name', git: 'v3', cluster: undefined },
        { field: 'mirror.percent', git: 100, cluster: undefined },
      ],
    },
  ],
  [
    'a KServe canary percentage',
    isvc({
      canaryTrafficPercent: 20,
      model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://m/s/v8' },
    }),
    live(
      isvc({
        canaryTrafficPercent: 10,
        model: { modelFormat: { name: 'sklearn' }, storageUri: 'gs://m/s/v8' },
      }),
    ),
    {
      state: 'OutOfSync',
      differences: [
        { field: 'predictor.canaryTrafficPercent', git: 20, cluster: 10 },
      ],
    },
  ],
  [
    'in Git only',
    model({ storageUri: 'gs://m/x' }),
    undefined,
    { state: 'MissingInCluster' },
  ],
  [
    'in the cluster only',
    undefined,
    live(model({ storageUri: 'gs://m/x' })),
    { state: 'NotInGit' },
  ],
  [
    // The API server sends objects back with their keys sorted; Git keeps
    // the author's order.
    'an added kind whose spec Git writes in another key order',
    rollout({
      strategy: { canary: { steps: [{ setWeight: 20 }] } },
      replicas: 3,
    }),
    live(
      rollout({
        replicas: 3,
        strategy: { canary: { steps: [{ setWeight: 20 }] } },
      }),
    ),
    { state: 'InSync' },
  ],
  [
    'an added kind whose spec differs',
    rollout({
      replicas: 3,
      strategy: { canary: { steps: [{ setWeight: 20 }] } },
    }),
    live(
      rollout({
        replicas: 3,
        strategy: { canary: { steps: [{ setWeight: 50 }] } },
      }),
    ),
    {
      state: 'OutOfSync',
      differences: [
        {
          field: 'spec',
          git: {
            replicas: 3,
            strategy: { canary: { steps: [{ setWeight: 20 }] } },
          },
          cluster: {
            replicas: 3,
            strategy: { canary: { steps: [{ setWeight: 50 }] } },
          },
        },
      ],
    },
  ],
  [
    'different kinds under one name',
    model({ storageUri: 'gs://m/x' }),
    live(canary),
    {
      state: 'Unknown',
      reason: 'Git has a Model, the cluster a SeldonDeployment.',
    },
  ],
];

describe('compareWithGit', () => {
  it.each(cases)('%s', (_name, desired, liveObject, expected) => {
    expect(compareWithGit(desired, liveObject)).toEqual(expected);
  });
});
