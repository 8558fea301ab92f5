import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { NormalizedDeploymentStatus } from '../types';
import { KubernetesObject } from './kubernetesObject';
import { normalizeSeldonDeployment } from './seldonDeployment';
import {
  normalizeSeldonExperiment,
  normalizeSeldonModel,
  normalizeSeldonPipeline,
} from './seldonCore2';
import { normalizeInferenceService } from './kserve';
import {
  seldonDeploymentResourceKind,
  toModelDeployment,
} from './resourceKinds';

function fixtures(file: string): Record<string, KubernetesObject> {
  return parse(
    fs.readFileSync(path.join(__dirname, '__fixtures__', file), 'utf8'),
  );
}

const sdep = fixtures('seldonDeployments.yaml');
const core2 = fixtures('seldonCore2.yaml');
const kserve = fixtures('kserve.yaml');

type Case = [
  string,
  (o: KubernetesObject) => NormalizedDeploymentStatus,
  KubernetesObject,
  Partial<NormalizedDeploymentStatus>,
];

const cases: Case[] = [
  [
    'SeldonDeployment available',
    normalizeSeldonDeployment,
    sdep.available,
    {
      phase: 'Ready',
      desiredReplicas: 2,
      availableReplicas: 2,
      versions: [
        {
          component: 'default/classifier',
          modelUri: 'gs://seldon-models/v1.18.2/sklearn/iris',
          runtime: 'SKLEARN_SERVER',
        },
      ],
      traffic: [{ name: 'default', percent: 100, role: 'main' }],
      endpoint: {
        url: 'http://iris-default.production.svc.cluster.local:8000/v2/models/classifier/infer',
      },
    },
  ],
  [
    'SeldonDeployment creating',
    normalizeSeldonDeployment,
    sdep.creating,
    {
      phase: 'Progressing',
      message: 'Deployment does not have minimum availability',
      desiredReplicas: 3,
      availableReplicas: 1,
      versions: [
        {
          component: 'default/classifier',
          image: 'registry.acme.io/iris:2.1.0',
        },
      ],
    },
  ],
  [
    'SeldonDeployment failed',
    normalizeSeldonDeployment,
    sdep.failed,
    {
      phase: 'Failed',
      message: 'Deployment iris-default-0-classifier: ProgressDeadlineExceeded',
      desiredReplicas: 1,
      availableReplicas: 0,
    },
  ],
  [
    'SeldonDeployment canary 90/10',
    normalizeSeldonDeployment,
    sdep.canary,
    {
      phase: 'Ready',
      desiredReplicas: 3,
      availableReplicas: 3,
      traffic: [
        { name: 'main', percent: 90, role: 'main' },
        { name: 'canary', percent: 10, role: 'canary' },
      ],
      versions: [
        {
          component: 'main/classifier',
          modelUri: 'gs://acme-models/fraud/v3',
          runtime: 'SKLEARN_SERVER',
        },
        {
          component: 'canary/classifier',
          modelUri: 'gs://acme-models/fraud/v4',
          runtime: 'SKLEARN_SERVER',
        },
      ],
    },
  ],
  [
    'SeldonDeployment with a shadow and a combiner graph',
    normalizeSeldonDeployment,
    sdep.shadow,
    {
      phase: 'Ready',
      traffic: [
        { name: 'main', percent: 100, role: 'main' },
        { name: 'shadow', percent: 100, role: 'shadow' },
      ],
      versions: [
        {
          component: 'main/combiner',
          image: 'registry.acme.io/fraud-combiner:1.4.0',
        },
        {
          component: 'main/xgb',
          modelUri: 'gs://acme-models/fraud/xgb-v3',
          runtime: 'XGBOOST_SERVER',
        },
        {
          component: 'main/lgbm',
          modelUri: 'gs://acme-models/fraud/lgbm-v3',
          runtime: 'MLFLOW_SERVER',
        },
        {
          component: 'shadow/classifier',
          modelUri: 'gs://acme-models/fraud/v5-rc1',
          runtime: 'SKLEARN_SERVER',
        },
      ],
    },
  ],
  [
    'SeldonDeployment with no status yet',
    normalizeSeldonDeployment,
    sdep['no-status'],
    {
      phase: 'Unknown',
      message: 'The Seldon operator has not reported a state yet.',
      desiredReplicas: 2,
    },
  ],
  [
    'Seldon Core 2 Model available',
    normalizeSeldonModel,
    core2['model-available'],
    {
      phase: 'Ready',
      desiredReplicas: 2,
      availableReplicas: 2,
      versions: [
        {
          component: 'fraud-v4',
          modelUri: 'gs://acme-models/fraud/v4',
          runtime: 'sklearn',
        },
      ],
      traffic: [{ name: 'fraud-v4', percent: 100, role: 'main' }],
      endpoint: {
        url: 'http://seldon-mesh.staging.svc.cluster.local/v2/models/fraud-v4/infer',
        headers: { 'Seldon-Model': 'fraud-v4' },
      },
    },
  ],
  [
    'Seldon Core 2 Model progressing',
    normalizeSeldonModel,
    core2['model-progressing'],
    {
      phase: 'Progressing',
      message: 'ModelProgressing: Loading on server mlserver',
      desiredReplicas: 1,
    },
  ],
  [
    'Seldon Core 2 Model failed to schedule',
    normalizeSeldonModel,
    core2['model-failed'],
    {
      phase: 'Failed',
      message:
        'ScheduleFailed: failed to schedule model fraud-v6. [no matching servers are available]',
    },
  ],
  [
    'Seldon Core 2 Pipeline ready',
    normalizeSeldonPipeline,
    core2['pipeline-ready'],
    {
      phase: 'Ready',
      versions: [{ component: 'preprocess' }, { component: 'fraud-v4' }],
      endpoint: {
        url: 'http://seldon-mesh.staging.svc.cluster.local/v2/models/fraud-pipeline/infer',
        headers: { 'Seldon-Model': 'fraud-pipeline.pipeline' },
      },
    },
  ],
  [
    'Seldon Core 2 Pipeline failed',
    normalizeSeldonPipeline,
    core2['pipeline-failed'],
    { phase: 'Failed', message: 'kafka topic creation failed' },
  ],
  [
    'Seldon Core 2 Experiment with candidates and a mirror',
    normalizeSeldonExperiment,
    core2['experiment-mirror'],
    {
      phase: 'Ready',
      traffic: [
        { name: 'fraud-v3', percent: 90, role: 'main' },
        { name: 'fraud-v4', percent: 10, role: 'canary' },
        { name: 'fraud-v5-rc1', percent: 25, role: 'mirror' },
      ],
      endpoint: {
        url: 'http://seldon-mesh.staging.svc.cluster.local/v2/models/fraud-v3/infer',
        headers: { 'Seldon-Model': 'fraud-v3' },
      },
    },
  ],
  [
    'Seldon Core 2 Experiment without default, candidates not ready',
    normalizeSeldonExperiment,
    core2['experiment-waiting'],
    {
      phase: 'Progressing',
      message: 'Candidate b not ready',
      traffic: [
        // No default: every candidate is on trial.
        { name: 'a', percent: 25, role: 'canary' },
        { name: 'b', percent: 75, role: 'canary' },
      ],
      endpoint: {
        url: 'http://seldon-mesh.dev.svc.cluster.local/v2/models/ab-no-default/infer',
        headers: { 'Seldon-Model': 'ab-no-default.experiment' },
      },
    },
  ],
  [
    'KServe InferenceService available',
    normalizeInferenceService,
    kserve.available,
    {
      phase: 'Ready',
      desiredReplicas: 2,
      availableReplicas: 2,
      versions: [
        {
          component: 'predictor',
          modelUri: 'gs://acme-models/sentiment/v7',
          runtime: 'sklearn',
        },
      ],
      traffic: [
        { name: 'sentiment-predictor-00007', percent: 100, role: 'main' },
      ],
      endpoint: { url: 'http://sentiment.production.example.com' },
    },
  ],
  [
    'KServe InferenceService canary',
    normalizeInferenceService,
    kserve.canary,
    {
      phase: 'Ready',
      traffic: [
        { name: 'fraud-scorer-predictor-00004', percent: 10, role: 'canary' },
        { name: 'fraud-scorer-predictor-00003', percent: 90, role: 'main' },
      ],
    },
  ],
  [
    'KServe InferenceService failed to load its model',
    normalizeInferenceService,
    kserve.failed,
    {
      phase: 'Failed',
      message: 'Failed to locate model at gs://acme-models/sentiment/missing',
      availableReplicas: 0,
      versions: [
        {
          component: 'predictor',
          modelUri: 'gs://acme-models/sentiment/missing',
          runtime: 'sklearn',
        },
      ],
    },
  ],
  [
    'KServe InferenceService waiting for its revision',
    normalizeInferenceService,
    kserve.progressing,
    {
      phase: 'Progressing',
      message:
        'Configuration "sentiment-predictor" is waiting for a Revision to become ready.',
      versions: [
        {
          component: 'predictor',
          image: 'registry.acme.io/sentiment:8.0.0-rc1',
        },
      ],
    },
  ],
];

describe('status normalizers', () => {
  it.each(cases)('%s', (_name, normalize, object, expected) => {
    const status = normalize(object);
    expect(status).toMatchObject(expected);
    // Absent is not zero: replicas appear only where the case states them.
    const unstated = ['desiredReplicas', 'availableReplicas'].filter(
      key => !(key in expected),
    );
    expect(unstated.filter(key => key in status)).toEqual([]);
    // Status must be readable in words, never by colour or phase alone.
    const explained = status.phase === 'Ready' || Boolean(status.message);
    expect(explained).toBe(true);
  });

  it.each([
    ['SeldonDeployment', normalizeSeldonDeployment],
    ['Model', normalizeSeldonModel],
    ['Pipeline', normalizeSeldonPipeline],
    ['Experiment', normalizeSeldonExperiment],
    ['InferenceService', normalizeInferenceService],
  ])('%s tolerates empty and malformed objects', (_kind, normalize) => {
    for (const broken of [
      {},
      { spec: null, status: null },
      {
        spec: { predictors: 'x', candidates: [null], steps: {} },
        status: { conditions: 'y' },
      },
      {
        status: {
          conditions: [null, { type: 3 }, { type: 'Ready', status: 'maybe' }],
        },
      },
    ]) {
      const status = normalize(broken as KubernetesObject);
      expect(['Ready', 'Progressing', 'Failed', 'Unknown']).toContain(
        status.phase,
      );
      expect(Array.isArray(status.traffic)).toBe(true);
      expect(Array.isArray(status.versions)).toBe(true);
    }
  });
});

describe('toModelDeployment', () => {
  it('adds identity, labels and the latest transition time', () => {
    const deployment = toModelDeployment(
      sdep.available,
      seldonDeploymentResourceKind,
      'production',
    );
    expect(deployment).toMatchObject({
      environment: 'production',
      apiVersion: 'machinelearning.seldon.io/v1',
      kind: 'SeldonDeployment',
      name: 'iris',
      namespace: 'production',
      uid: '1f0e7c1a-3b7e-4a55-9d44-0c6f0a1b2c3d',
      labels: { 'backstage.io/kubernetes-id': 'iris' },
      createdAt: '2026-10-01T09:00:00Z',
      updatedAt: '2026-10-01T09:02:12Z',
      phase: 'Ready',
    });
  });

  it('reports a normalizer that throws as Unknown instead of failing', () => {
    const deployment = toModelDeployment(
      { metadata: { name: 'x', namespace: 'dev' } },
      {
        ...seldonDeploymentResourceKind,
        normalize: () => {
          throw new Error('boom');
        },
      },
      'dev',
    );
    expect(deployment.phase).toBe('Unknown');
    expect(deployment.message).toBe('Could not read the status: boom');
  });
});
