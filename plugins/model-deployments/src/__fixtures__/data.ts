import { Entity } from '@backstage/catalog-model';
import {
  DeploymentHistoryResponse,
  EntityDeploymentsResponse,
  EnvironmentGitState,
  GitCommit,
  Environment,
  FleetResponse,
  ModelDeployment,
} from '@seed-mlops/plugin-model-deployments-common';

/** Test data shaped like the backend's responses for the example cluster. */

export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'fraud-scorer',
    namespace: 'default',
    title: 'Fraud scorer',
    annotations: { 'backstage.io/kubernetes-id': 'fraud-scorer' },
  },
  spec: {
    type: 'model',
    lifecycle: 'production',
    owner: 'group:default/risk-ml',
  },
};

export const environments: Environment[] = [
  {
    name: 'dev',
    title: 'Development',
    stage: 0,
    cluster: 'demo',
    namespace: 'dev',
    restricted: false,
    origin: 'config',
  },
  {
    name: 'staging',
    title: 'Staging',
    stage: 1,
    cluster: 'demo',
    namespace: 'staging',
    restricted: false,
    origin: 'config',
  },
  {
    name: 'production',
    title: 'Production',
    stage: 2,
    cluster: 'demo',
    namespace: 'production',
    restricted: true,
    origin: 'config',
  },
];

const daysAgo = (days: number) =>
  new Date(Date.now() - days * 24 * 3600 * 1000).toISOString();

export function deployment(
  overrides: Partial<ModelDeployment> & { environment: string },
): ModelDeployment {
  return {
    apiVersion: 'machinelearning.seldon.io/v1',
    kind: 'SeldonDeployment',
    name: 'fraud-scorer',
    namespace: overrides.environment,
    labels: { 'backstage.io/kubernetes-id': 'fraud-scorer' },
    phase: 'Ready',
    desiredReplicas: 2,
    availableReplicas: 2,
    versions: [
      {
        component: 'classifier',
        modelUri: 'gs://acme-models/fraud/v4',
        runtime: 'SKLEARN_SERVER',
      },
    ],
    traffic: [{ name: 'default', percent: 100, role: 'main' }],
    endpoint: {
      url: `http://fraud-scorer-default.${overrides.environment}.svc.cluster.local:8000/v2/models/classifier/infer`,
    },
    conditions: [],
    createdAt: daysAgo(10),
    updatedAt: daysAgo(3),
    ...overrides,
  };
}

export const devDeployment = deployment({ environment: 'dev' });

export const stagingDeployment = deployment({
  environment: 'staging',
  phase: 'Failed',
  message: 'Container classifier is in CrashLoopBackOff',
  desiredReplicas: 3,
  availableReplicas: 2,
  versions: [
    { component: 'classifier', modelUri: 'gs://acme-models/fraud/v5' },
  ],
});

export const productionDeployment = deployment({
  environment: 'production',
  desiredReplicas: 5,
  availableReplicas: 5,
  versions: [
    { component: 'main', modelUri: 'gs://acme-models/fraud/v3' },
    { component: 'canary', modelUri: 'gs://acme-models/fraud/v4' },
  ],
  traffic: [
    { name: 'main', percent: 90, role: 'main' },
    { name: 'canary', percent: 10, role: 'canary' },
    { name: 'shadow', percent: 100, role: 'shadow' },
  ],
});

export const entityResponse: EntityDeploymentsResponse = {
  entityRef: 'component:default/fraud-scorer',
  environments: [
    {
      environment: environments[0],
      deployments: [devDeployment],
      warnings: [],
    },
    {
      environment: environments[1],
      deployments: [stagingDeployment],
      warnings: [],
    },
    {
      environment: environments[2],
      deployments: [productionDeployment],
      warnings: [],
    },
  ],
};

/** The entity response as a user who may not read production gets it. */
export const notPermittedProductionResponse: EntityDeploymentsResponse = {
  ...entityResponse,
  environments: [
    entityResponse.environments[0],
    entityResponse.environments[1],
    {
      environment: environments[2],
      deployments: [],
      warnings: [],
      error: {
        type: 'NOT_PERMITTED',
        message: "You may not see this model's deployments in 'Production'.",
      },
    },
  ],
};

export const fleetResponse: FleetResponse = {
  environments: environments.map(environment => ({
    environment,
    warnings: [],
  })),
  models: [
    {
      entityRef: 'component:default/fraud-scorer',
      title: 'Fraud scorer',
      owner: 'group:default/risk-ml',
      deployments: [devDeployment, stagingDeployment, productionDeployment],
    },
    {
      entityRef: 'component:default/iris-classifier',
      title: 'Iris classifier',
      owner: 'group:default/ml-platform',
      deployments: [
        deployment({
          environment: 'dev',
          name: 'iris-classifier',
          versions: [
            { component: 'classifier', modelUri: 'gs://acme-models/iris/v3' },
          ],
        }),
      ],
    },
    {
      entityRef: 'component:default/recommender',
      title: 'Recommender',
      owner: 'group:default/growth-ml',
      deployments: [
        deployment({
          environment: 'production',
          kind: 'Pipeline',
          apiVersion: 'mlops.seldon.io/v1alpha1',
          name: 'recommender',
          phase: 'Progressing',
          versions: [
            { component: 'ranker', modelUri: 'gs://acme-models/ranker/v7' },
          ],
        }),
      ],
    },
  ],
};

const REPO = 'https://github.com/acme/ml-gitops';

export const irisUpdateCommit: GitCommit = {
  sha: '4f2c9a1b7e3d5f60718293a4b5c6d7e8f9012345',
  author: { name: 'Tomás Ortega', email: 'tomas@example.com' },
  committedAt: daysAgo(1),
  action: 'Deployment updated',
  summary: 'fraud v5 with two replicas',
  url: `${REPO}/commit/4f2c9a1b7e3d5f60718293a4b5c6d7e8f9012345`,
};

export const firstCommit: GitCommit = {
  sha: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b',
  author: { name: 'Seldon Deploy', email: 'deploy@example.com' },
  committedAt: daysAgo(10),
  action: 'Deployment created',
  summary: 'First models in dev',
  requestedBy: { name: 'Amara Okafor', email: 'amara@example.com' },
  url: `${REPO}/commit/9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b`,
};

const gitState = (
  path: string,
  overrides: Partial<EnvironmentGitState> = {},
): EnvironmentGitState => ({
  repoUrl: `${REPO}.git`,
  branch: 'main',
  path,
  commit: irisUpdateCommit.sha,
  fetchedAt: new Date(Date.now() - 60_000).toISOString(),
  fileErrors: [],
  ...overrides,
});

/** Every sync state across three environments, as a GitOps-managed model shows them. */
export const gitopsEntityResponse: EntityDeploymentsResponse = {
  entityRef: 'component:default/fraud-scorer',
  environments: [
    {
      environment: environments[0],
      deployments: [
        {
          ...devDeployment,
          gitPath: 'dev/SeldonDeployment-fraud-scorer.json',
          lastCommit: irisUpdateCommit,
          sync: {
            state: 'OutOfSync',
            differences: [
              {
                field: 'predictors[main].graph.modelUri',
                git: 'gs://acme-models/fraud/v5',
                cluster: 'gs://acme-models/fraud/v4',
              },
              { field: 'predictors[main].replicas', git: 2, cluster: 1 },
              { field: 'predictors[main].traffic', git: 90 },
            ],
          },
        },
      ],
      warnings: [],
      git: gitState('dev', {
        fileErrors: [
          {
            path: 'dev/Model-broken.yaml',
            message: 'bad indentation of a mapping entry (3:7)',
          },
        ],
      }),
    },
    {
      environment: environments[1],
      deployments: [
        {
          ...deployment({ environment: 'staging' }),
          gitPath: 'staging/SeldonDeployment-fraud-scorer.json',
          lastCommit: firstCommit,
          sync: { state: 'InSync' },
        },
        {
          ...deployment({
            environment: 'staging',
            kind: 'Model',
            apiVersion: 'mlops.seldon.io/v1alpha1',
            name: 'fraud-explainer',
            phase: 'Unknown',
            message:
              'In Git, not in the cluster: the sync tool has not applied it yet.',
            availableReplicas: 0,
          }),
          gitPath: 'staging/Model-fraud-explainer.yaml',
          sync: { state: 'MissingInCluster' },
        },
        {
          ...deployment({
            environment: 'staging',
            kind: 'Model',
            apiVersion: 'mlops.seldon.io/v1alpha1',
            name: 'fraud-debug',
          }),
          sync: { state: 'NotInGit' },
        },
      ],
      warnings: [],
      git: gitState('staging'),
    },
    {
      environment: environments[2],
      deployments: [
        {
          ...productionDeployment,
          sync: {
            state: 'Unknown',
            reason:
              'Cannot fetch https://github.com/acme/ml-gitops.git: connect ECONNREFUSED',
          },
        },
      ],
      warnings: [],
      git: gitState('production', {
        commit: undefined,
        fetchedAt: undefined,
        error:
          'Cannot fetch https://github.com/acme/ml-gitops.git: connect ECONNREFUSED',
      }),
    },
  ],
};

export const historyResponse: DeploymentHistoryResponse = {
  entityRef: 'component:default/fraud-scorer',
  environment: 'dev',
  paths: ['dev/SeldonDeployment-fraud-scorer.json'],
  headCommit: irisUpdateCommit.sha,
  commits: [
    { ...irisUpdateCommit, paths: ['dev/SeldonDeployment-fraud-scorer.json'] },
    { ...firstCommit, paths: ['dev/SeldonDeployment-fraud-scorer.json'] },
  ],
  totalCount: 2,
  offset: 0,
  limit: 20,
  complete: true,
};
