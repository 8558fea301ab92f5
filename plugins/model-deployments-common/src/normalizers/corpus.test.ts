/*
 * The corpus table test: every published manifest in `__fixtures__/corpus`
 * is read the way a GitOps reader would read it, and the normalized status is
 * checked against what `corpus/INDEX.md` says a correct reader must show.
 *
 * The expected values below were worked out by hand from INDEX.md's column
 * "what a correct reader must show", the CRDs and the upstream semantics.
 * They were NOT copied from the normalizers' output. A row that fails is a
 * disagreement between the implementation and that hand-worked reading; it
 * is left failing on purpose, not "fixed" by editing the expectation.
 */
import fs from 'fs';
import path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { NormalizedDeploymentStatus, TrafficTarget } from '../types';
import { KubernetesObject } from './kubernetesObject';
import {
  defaultModelResourceKinds,
  kfservingInferenceServiceResourceKind,
} from './resourceKinds';

const CORPUS = path.join(__dirname, '__fixtures__', 'corpus');

/** Marks a field the file does not state: the reader must show nothing. */
const ABSENT = undefined;

// ---------------------------------------------------------------------------
// Loader
// ---------------------------------------------------------------------------

/** The header lines INDEX.md documents; each starts with `# `. */
const HEADER_LINE = /^# (source|extract|decoded|prettier-ignore)\b/;

/** The published bytes of a corpus file, without its leading header lines. */
function readCorpusBody(file: string): string {
  let rest = fs.readFileSync(path.join(CORPUS, file), 'utf8');
  let headers = 0;
  while (rest.startsWith('# ')) {
    const end = rest.indexOf('\n');
    const line = end === -1 ? rest : rest.slice(0, end);
    if (!HEADER_LINE.test(line)) {
      throw new Error(`${file}: unexpected header line`);
    }
    headers += 1;
    rest = end === -1 ? '' : rest.slice(end + 1);
  }
  if (headers === 0) {
    throw new Error(`${file}: no header lines`);
  }
  return rest;
}

/**
 * Parses a body into its documents. A `.json` file is read strictly as JSON:
 * INDEX.md's judgment on `components-only-promoted-trailing-comma.json` is
 * that a `.json` file with a trailing comma is a parse error, although YAML
 * (a superset of JSON) would accept it. A `.yaml` file is read with `yaml`,
 * every document; duplicate keys are an error (the `yaml` default), so two
 * manifests pasted together without `---` do not silently keep the last one.
 */
function parseCorpusBody(file: string, body: string): unknown[] {
  if (file.endsWith('.json')) {
    return [JSON.parse(body)];
  }
  const documents = parseAllDocuments(body);
  for (const document of documents) {
    if (document.errors.length > 0) {
      throw document.errors[0];
    }
  }
  return documents.map(document => document.toJS());
}

const fragment = { name: 'fragment' };

/**
 * How a fragment is put back into an object of the kind it was cut from
 * (INDEX.md column "fragment?"). Nothing else is added: no spec, no replicas.
 */
const WRAPPERS = {
  // A SeldonDeployment `status` printed alone becomes that object's `status`.
  seldonDeploymentStatus: (status: unknown): KubernetesObject => ({
    apiVersion: 'machinelearning.seldon.io/v1',
    kind: 'SeldonDeployment',
    metadata: fragment,
    status,
  }),
  // A Seldon Core 2 Model `status` printed alone becomes a Model's `status`.
  modelStatus: (status: unknown): KubernetesObject => ({
    apiVersion: 'mlops.seldon.io/v1alpha1',
    kind: 'Model',
    metadata: fragment,
    status,
  }),
  // A Seldon Core 2 Server `status` printed alone becomes a Server's `status`.
  serverStatus: (status: unknown): KubernetesObject => ({
    apiVersion: 'mlops.seldon.io/v1alpha1',
    kind: 'Server',
    metadata: fragment,
    status,
  }),
  // A KServe `status.components` map (`{predictor: …}`) goes back under `status.components`.
  inferenceServiceComponents: (components: unknown): KubernetesObject => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: fragment,
    status: { components },
  }),
  // A KServe `status.components.predictor` object goes back under `status.components.predictor`.
  inferenceServicePredictor: (predictor: unknown): KubernetesObject => ({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: fragment,
    status: { components: { predictor } },
  }),
  // The same for a KFServing (`serving.kubeflow.org`) predictor component status.
  kfservingPredictor: (predictor: unknown): KubernetesObject => ({
    apiVersion: 'serving.kubeflow.org/v1beta1',
    kind: 'InferenceService',
    metadata: fragment,
    status: { components: { predictor } },
  }),
};
type WrapperName = keyof typeof WRAPPERS;

/** The API versions each group's CRD serves (see /work/shared/crds/README.md and INDEX.md). */
const SERVED_VERSIONS: Record<string, string[]> = {
  // The SeldonDeployment CRD (v1.18.2) serves v1, v1alpha2 and v1alpha3.
  'machinelearning.seldon.io': ['v1', 'v1alpha2', 'v1alpha3'],
  'mlops.seldon.io': ['v1alpha1'],
  // The KServe CRD serves only v1beta1; v1alpha2 existed only as serving.kubeflow.org.
  'serving.kserve.io': ['v1beta1'],
  // KFServing served v1alpha2 and v1beta1; INDEX.md asks the legacy reader to read both.
  'serving.kubeflow.org': ['v1alpha2', 'v1beta1'],
};

const RESOURCE_KINDS = [
  ...defaultModelResourceKinds,
  kfservingInferenceServiceResourceKind,
];

/** The normalizer the app registers for an object's group and kind, at a served version. */
function normalizerFor(object: KubernetesObject) {
  const [group, version] = (object.apiVersion ?? '').split('/');
  if (!SERVED_VERSIONS[group]?.includes(version)) {
    return undefined;
  }
  return RESOURCE_KINDS.find(k => k.group === group && k.kind === object.kind)
    ?.normalize;
}

type Rejection =
  | 'parse error'
  | 'not one document'
  | 'not an object'
  | 'not a resource'
  | 'unsupported apiVersion';

type Outcome =
  | { rejected: Rejection; error?: string }
  | {
      rejected?: undefined;
      object: KubernetesObject;
      status: NormalizedDeploymentStatus;
    };

/** Reads one corpus file end to end: header, parse, wrap, normalize. */
function readCorpusFile(file: string, wrap?: WrapperName): Outcome {
  const body = readCorpusBody(file);
  let documents: unknown[];
  try {
    documents = parseCorpusBody(file, body);
  } catch (e) {
    return { rejected: 'parse error', error: String((e as Error).message) };
  }
  if (documents.length !== 1) {
    return { rejected: 'not one document' };
  }
  const [document] = documents;
  if (!document || typeof document !== 'object' || Array.isArray(document)) {
    return { rejected: 'not an object' };
  }
  const object = wrap
    ? WRAPPERS[wrap](document)
    : (document as KubernetesObject);
  if (
    typeof object.apiVersion !== 'string' ||
    typeof object.kind !== 'string'
  ) {
    return { rejected: 'not a resource' };
  }
  const normalize = normalizerFor(object);
  if (!normalize) {
    return { rejected: 'unsupported apiVersion' };
  }
  return { object, status: normalize(object) };
}

// ---------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------

type Expected = {
  [K in Exclude<
    keyof NormalizedDeploymentStatus,
    'traffic' | 'versions'
  >]?: unknown;
} & {
  /** The full split, in any order. */
  traffic?: Array<Partial<Record<keyof TrafficTarget, unknown>>>;
  /** Every version, in any order; or a matcher. */
  versions?: Array<Record<string, unknown>> | unknown;
};

interface Row {
  /** Path under `__fixtures__/corpus`. */
  file: string;
  wrap?: WrapperName;
  expected: Expected | { rejected: Rejection; error?: unknown };
}

const main = (name: string, percent: number) => ({
  name,
  percent,
  role: 'main',
});
const canary = (name: string, percent: number) => ({
  name,
  percent,
  role: 'canary',
});

/** A message that names one of `reasons` and does not claim ModelMesh. */
const reasonNotModelMesh = (reasons: RegExp) =>
  expect.stringMatching(
    new RegExp(`^(?![\\s\\S]*ModelMesh)[\\s\\S]*(?:${reasons.source})`),
  );

/** No version carries a model artifact. */
function noModelUri() {
  return expect.not.arrayContaining([
    expect.objectContaining({ modelUri: expect.anything() }),
  ]);
}

/** KServe's revision labels when there is no status: names are not asserted. */
const latest = (percent: number) => ({ percent, role: 'canary' });
const previous = (percent: number) => ({ percent, role: 'main' });

const rows: Row[] = [
  // ----- seldondeployment/ --------------------------------------------------
  {
    file: 'seldondeployment/explainer-anchor-tabular.yaml',
    expected: {
      phase: 'Unknown',
      // Judgment (not INDEX's): INDEX's replica rule counts componentSpec
      // Deployments; the explainer's `replicas: 1` is a Deployment of its own,
      // not a componentSpec, so desired is the predictor's 1.
      desiredReplicas: 1,
      availableReplicas: ABSENT,
      // Single live predictor, traffic unset: implied 100 % (the type has no
      // "implied" flag, so it shows as a plain 100 %).
      traffic: [main('default', 100)],
      warnings: ABSENT,
      versions: [
        {
          component: 'default/classifier',
          modelUri: 'gs://seldon-models/v1.11.0-dev/sklearn/iris',
          runtime: 'SKLEARN_SERVER',
        },
        // The explainer is a component with an artifact of its own
        // (type AnchorTabular, modelUri s3:explainers/iris/).
        {
          component: expect.stringMatching(/explainer/i),
          modelUri: 's3:explainers/iris/',
        },
      ],
    },
  },
  {
    file: 'seldondeployment/failed-converted-from-v1alpha2.yaml',
    expected: {
      phase: 'Failed',
      message: expect.stringContaining(
        'Deployment.apps "sklearn-default-0-classifier" is invalid',
      ),
      desiredReplicas: 1,
      availableReplicas: 1,
      traffic: [main('default', 100)],
      warnings: ABSENT,
      versions: [
        {
          component: 'default/classifier',
          modelUri: 'gs://seldon-models/sklearn/iris',
          image: 'seldonio/sklearnserver_rest:0.3',
          runtime: 'SKLEARN_SERVER',
        },
      ],
      endpoint: {
        url: 'http://sklearn-default.default.svc.cluster.local:8000/api/v1.0/predictions',
      },
    },
  },
  {
    file: 'seldondeployment/failed-with-deploymentstatus.yaml',
    expected: {
      // Judgment (INDEX): Failed although 1/1 replicas are available, because
      // `state` is authoritative; the replica counts are shown as well.
      phase: 'Failed',
      message: expect.stringContaining(
        'Deployment.apps "seldon-92a927e5e90d7602e08ba9b9304f70e8" is invalid',
      ),
      desiredReplicas: 1,
      availableReplicas: 1,
      traffic: [main('sklearn-iris-predictor', 100)],
      warnings: ABSENT,
      versions: [
        {
          component: 'sklearn-iris-predictor/sklearn-iris-classifier',
          image: 'seldonio/sklearn-iris:0.1',
        },
      ],
      endpoint: {
        url: 'http://seldon-deployment-example-sklearn-iris-predictor.default.svc.cluster.local:8000/api/v1.0/predictions',
      },
    },
  },
  {
    file: 'seldondeployment/gitops-production-traffic-100.json',
    expected: {
      phase: 'Unknown',
      desiredReplicas: 1,
      availableReplicas: ABSENT,
      traffic: [main('default', 100)],
      warnings: ABSENT,
      versions: [
        {
          component: 'default/default',
          modelUri: 'gs://news_classifier/model',
          runtime: 'SKLEARN_SERVER',
        },
      ],
    },
  },
  {
    file: 'seldondeployment/gitops-staging-canary-90-10.json',
    expected: {
      // `status: {}`: no state reported, neither Failed nor Available.
      phase: 'Unknown',
      desiredReplicas: 2,
      availableReplicas: ABSENT,
      // The canary is marked by the `seldon.io/canary: "true"` annotation.
      traffic: [main('default', 90), canary('canary', 10)],
      warnings: ABSENT,
      // Judgment (INDEX): the empty `explainer: {containerSpec: {name: ""}}`
      // has no type or modelUri, so no explainer version is shown.
      versions: [
        {
          component: 'default/default',
          modelUri: 'gs://news_classifier/model',
          image: 'seldonio/sklearnserver_rest:0.2',
          runtime: 'SKLEARN_SERVER',
        },
        {
          component: 'canary/news-classifier-canary',
          modelUri: 'gs://news_classifier/model',
          runtime: 'SKLEARN_SERVER',
        },
      ],
    },
  },
  {
    file: 'seldondeployment/gitops-staging-traffic-105.json',
    expected: {
      phase: 'Unknown',
      desiredReplicas: 1,
      availableReplicas: ABSENT,
      // 105 as stated, never clamped; flagged as outside 0–100.
      traffic: [main('default', 105)],
      warnings: expect.arrayContaining([expect.stringMatching(/105/)]),
      versions: [
        {
          component: 'default/default',
          modelUri: 'gs://news_classifier/model',
          runtime: 'SKLEARN_SERVER',
        },
      ],
    },
  },
  {
    // A Helm template: `{{- range … }}` at body line 23 is not YAML.
    file: 'seldondeployment/helm-template-not-yaml.yaml',
    expected: { rejected: 'parse error' },
  },
  {
    file: 'seldondeployment/hpa-spec.json',
    expected: {
      phase: 'Unknown',
      // Judgment (INDEX): 1 as stated; the hpaSpec (1–4) may override it, but
      // the type has no autoscaling range, so the stated 1 is what shows.
      desiredReplicas: 1,
      availableReplicas: ABSENT,
      traffic: [main('example', 100)],
      warnings: ABSENT,
      versions: [
        {
          component: 'example/classifier',
          image: 'seldonio/mock_classifier:1.0',
        },
      ],
    },
  },
  {
    file: 'seldondeployment/istio-canary-main-75-canary-25.yaml',
    expected: {
      phase: 'Unknown',
      // Predictor-level replicas 1 + 1; componentSpec replicas absent.
      desiredReplicas: 2,
      availableReplicas: ABSENT,
      // Rule applied from INDEX (mlflow and two-predictors rows): only the
      // `seldon.io/canary` annotation marks a canary; a predictor named
      // `canary` is only a name, so neither is labelled canary.
      traffic: [main('main', 75), main('canary', 25)],
      warnings: ABSENT,
      // `{VERSION}` is a template placeholder, shown as is.
      versions: [
        {
          component: 'main/classifier',
          image: 'seldonio/mock_classifier:{VERSION}',
        },
        {
          component: 'canary/classifier',
          image: 'seldonio/mock_classifier:{VERSION}',
        },
      ],
    },
  },
  {
    file: 'seldondeployment/iter8-baseline-100-candidate-0.yaml',
    expected: {
      phase: 'Unknown',
      // No replicas at any level.
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      // Candidate deployed with a stated 0 %: 0, not absent. No annotation,
      // so neither is labelled canary (same rule as the mlflow row).
      traffic: [main('baseline', 100), main('candidate', 0)],
      warnings: ABSENT,
      versions: [
        {
          component: 'baseline/classifier',
          modelUri: 'gs://seldon-models/v1.18.2/sklearn/iris',
          runtime: 'SKLEARN_SERVER',
        },
        // INDEX names XGBOOST_SERVER, but that is source line 24, outside the
        // extracted lines 6-23; the runtime is not asserted.
        {
          component: 'candidate/classifier',
          modelUri: 'gs://seldon-models/xgboost/iris',
        },
      ],
    },
  },
  {
    file: 'seldondeployment/mlflow-ab-80-20.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: 2,
      availableReplicas: ABSENT,
      // Judgment (INDEX): which one is main is not stated; don't label either as canary.
      traffic: [
        main('a-mlflow-deployment-dag', 80),
        main('b-mlflow-deployment-dag', 20),
      ],
      warnings: ABSENT,
      versions: [
        {
          component: 'a-mlflow-deployment-dag/wines-classifier',
          modelUri: 'gs://seldon-models/mlflow/model-a',
          runtime: 'MLFLOW_SERVER',
        },
        {
          component: 'b-mlflow-deployment-dag/wines-classifier',
          modelUri: 'gs://seldon-models/mlflow/model-b',
          runtime: 'MLFLOW_SERVER',
        },
      ],
    },
  },
  {
    file: 'seldondeployment/no-replicas-no-traffic.yaml',
    expected: {
      phase: 'Unknown',
      // Absent at spec, predictor and componentSpec level: absent, not 1.
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      // Single predictor, traffic unset: implicitly all traffic.
      traffic: [main('example', 100)],
      warnings: ABSENT,
      versions: [
        {
          component: 'example/classifier',
          image: 'seldonio/mock_classifier_rest:1.3',
        },
      ],
    },
  },
  {
    file: 'seldondeployment/protocol-v2.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: 1,
      availableReplicas: ABSENT,
      traffic: [main('default', 100)],
      warnings: ABSENT,
      versions: [
        {
          component: 'default/classifier',
          modelUri: 'gs://seldon-models/sklearn/iris-0.23.2/lr_model',
          runtime: 'SKLEARN_SERVER',
        },
      ],
    },
  },
  {
    file: 'seldondeployment/replicas-three-levels-50-50.yaml',
    expected: {
      phase: 'Unknown',
      // example/classifier 2 (predictor), example/classifier2 3 (componentSpec),
      // example2/classifier3 1 (spec.replicas): 6.
      desiredReplicas: 6,
      availableReplicas: ABSENT,
      // No annotation: neither labelled canary.
      traffic: [main('example', 50), main('example2', 50)],
      warnings: ABSENT,
      versions: [
        {
          component: 'example/classifier',
          image: 'seldonio/mock_classifier_rest:1.3',
        },
        {
          component: 'example/classifier2',
          image: 'seldonio/mock_classifier_rest:1.3',
        },
        {
          component: 'example2/classifier3',
          image: 'seldonio/mock_classifier_rest:1.3',
        },
      ],
    },
  },
  {
    file: 'seldondeployment/shadow-predictor.yaml',
    expected: {
      phase: 'Unknown',
      // Replicas 1 each; the shadow runs a Deployment of its own.
      desiredReplicas: 2,
      availableReplicas: ABSENT,
      // Judgment (INDEX): default gets all live traffic (only non-shadow
      // predictor); the shadow mirrors 100 % (Istio mirror without a
      // percentage). Implied values; the type cannot mark them as implied.
      traffic: [
        main('default', 100),
        { name: 'shadow', percent: 100, role: 'shadow' },
      ],
      warnings: ABSENT,
      versions: [
        {
          component: 'default/iris-default',
          modelUri: 'gs://seldon-models/v1.18.2/sklearn/iris',
          runtime: 'SKLEARN_SERVER',
        },
        {
          component: 'shadow/iris-shadow',
          modelUri: 'gs://seldon-models/v1.18.2/sklearn/iris',
          runtime: 'SKLEARN_SERVER',
        },
      ],
    },
  },
  {
    file: 'seldondeployment/status-only-failed-description.json',
    wrap: 'seldonDeploymentStatus',
    expected: {
      phase: 'Failed',
      message:
        'Cannot find field: imagename in message k8s.io.api.core.v1.Container',
      // The status states no replicas: absent, not 0.
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [],
      versions: [],
    },
  },
  {
    // Judgment (INDEX): a Go `map[…]` print parses as one YAML string; it is
    // not a status, and `state:Creating` is not regex-parsed out of it.
    file: 'seldondeployment/status-only-go-map-creating.yaml',
    expected: { rejected: 'not an object' },
  },
  {
    file: 'seldondeployment/status-only-old-predictorstatus-available.json',
    wrap: 'seldonDeploymentStatus',
    expected: {
      phase: 'Ready',
      // Old schema: `predictorStatus[].replicasAvailable`, read as available.
      desiredReplicas: 1,
      availableReplicas: 1,
      traffic: [],
      versions: [],
    },
  },
  {
    file: 'seldondeployment/two-predictors-no-traffic.json',
    expected: {
      phase: 'Unknown',
      desiredReplicas: 2,
      availableReplicas: ABSENT,
      // Traffic absent on both predictors: shown absent (no entry can carry
      // an absent share), never an invented 50/50 or 0/0, and flagged: the
      // webhook requires 100 for multiple predictors.
      traffic: [],
      warnings: expect.arrayContaining([expect.stringMatching(/100/)]),
      versions: [
        {
          component: 'example/classifier',
          image: 'seldonio/mock_classifier:1.0',
        },
        {
          component: 'canary/mean-classifier',
          image: 'seldonio/mock_classifier:0.6',
        },
      ],
    },
  },

  // ----- model/ -------------------------------------------------------------
  {
    file: 'model/error-bad-spec-storaguri-typo.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      server: ABSENT,
      // The misspelt `storagUri` is not read as the URI ...
      versions: noModelUri(),
      // ... and the missing required `storageUri` marks the Model invalid.
      warnings: expect.arrayContaining([expect.stringMatching(/storageUri/)]),
    },
  },
  {
    file: 'model/explainer-modelref.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      server: ABSENT,
      warnings: ABSENT,
      versions: [
        {
          component: 'income-explainer',
          modelUri:
            'gs://seldon-models/scv2/samples/mlserver_1.6.0/income-sklearn/anchor-explainer',
        },
      ],
    },
  },
  {
    file: 'model/min-replicas-scaling.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: 1,
      availableReplicas: ABSENT,
      server: ABSENT,
      warnings: ABSENT,
      versions: [
        { component: 'tfsimple', modelUri: 'gs://seldon-models/triton/simple' },
      ],
    },
  },
  {
    file: 'model/pinned-to-server.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      server: { name: 'mlserver-134' },
      warnings: ABSENT,
      versions: [
        { component: 'iris', modelUri: 'gs://seldon-models/mlserver/iris' },
      ],
    },
  },
  {
    file: 'model/sklearn-iris.yaml',
    expected: {
      phase: 'Unknown',
      // Judgment (INDEX): `replicas` unset; the controller's default of 1 may
      // only be shown labelled as a default, and the type cannot label it.
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      server: ABSENT,
      warnings: ABSENT,
      versions: [
        {
          component: 'iris',
          modelUri:
            'gs://seldon-models/scv2/samples/mlserver_1.6.0/iris-sklearn',
        },
      ],
    },
  },
  {
    // Prose after the JSON code block: JSON "extra data" at line 17.
    file: 'model/status-only-available-invalid-json.json',
    expected: { rejected: 'parse error' },
  },
  {
    file: 'model/status-only-available-modelgw.json',
    wrap: 'modelStatus',
    expected: {
      phase: 'Ready',
      // Judgment (mine): `status.replicas` is "replicas targeted"; the CRD's
      // "Desired Replicas" column reads `spec.replicas`, which a status
      // fragment does not have.
      desiredReplicas: ABSENT,
      availableReplicas: 1,
      server: ABSENT,
    },
  },
  {
    file: 'model/status-only-available-no-availablereplicas.json',
    wrap: 'modelStatus',
    expected: {
      phase: 'Ready',
      desiredReplicas: ABSENT,
      // Not stated by this older status: "–", not 0 and not 1.
      availableReplicas: ABSENT,
      server: ABSENT,
    },
  },
  {
    file: 'model/status-only-modelfailed.json',
    wrap: 'modelStatus',
    expected: {
      phase: 'Failed',
      message: expect.stringContaining(
        'Failed to download from gs://seldon-models/scv2/samples/mlserver_1.3.5/iris-notexistent-uri any files',
      ),
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      server: ABSENT,
    },
  },
  {
    file: 'model/status-only-schedulefailed.json',
    wrap: 'modelStatus',
    expected: {
      // ScheduleFailed is a failure, not progress.
      phase: 'Failed',
      message: expect.stringContaining('failed to schedule model iris.'),
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      server: ABSENT,
    },
  },
  {
    file: 'model/status-only-v2.2-no-message.json',
    wrap: 'modelStatus',
    expected: {
      // ModelReady True without a message is still ready (v2.2.0).
      phase: 'Ready',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      server: ABSENT,
    },
  },
  {
    // Judgment (INDEX): two Models concatenated without `---`; a parser that
    // kept only `tfsimple2` would be silently wrong, so duplicate keys fail.
    file: 'model/two-models-no-document-separator.yaml',
    expected: {
      rejected: 'parse error',
      error: expect.stringMatching(/unique/i),
    },
  },

  // ----- pipeline/ ----------------------------------------------------------
  {
    // Judgment (INDEX): a bare condition has no kind and no `conditions`
    // wrapper, so it is not wrapped into a Pipeline and is rejected.
    file: 'pipeline/condition-only-models-not-ready.json',
    expected: { rejected: 'not a resource' },
  },
  {
    file: 'pipeline/error-bad-spec-input-key.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      versions: [
        { component: 'conditional' },
        { component: 'mul10' },
        { component: 'add10' },
      ],
      // `mul10` has the unknown key `input` (the field is `inputs`): invalid.
      warnings: expect.arrayContaining([expect.stringMatching(/\binput\b/)]),
    },
  },
  {
    file: 'pipeline/error-empty-input.yaml',
    expected: {
      // `inputs: [null]` shown as empty or invalid; the reader must not crash.
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      versions: [{ component: 'first' }, { component: 'second' }],
    },
  },
  {
    file: 'pipeline/error-step-name-equals-pipeline.yaml',
    expected: {
      // Schema-valid; shown as written.
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      versions: [{ component: 'iris' }],
    },
  },
  {
    file: 'pipeline/status-only-models-not-ready.yaml',
    expected: {
      // Ready False because ModelsReady is False; no failure is stated.
      phase: 'Progressing',
      message: expect.stringContaining('ModelsReady'),
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      versions: [],
    },
  },
  {
    file: 'pipeline/status-only-ready.yaml',
    expected: {
      phase: 'Ready',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      versions: [],
    },
  },
  {
    file: 'pipeline/tfsimples-chain.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      versions: [{ component: 'tfsimple1' }, { component: 'tfsimple2' }],
      warnings: ABSENT,
    },
  },

  // ----- experiment/ --------------------------------------------------------
  {
    file: 'experiment/ab-default-model-50-50.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      // `default: iris` carries the split; iris2 is on trial.
      traffic: [main('iris', 50), canary('iris2', 50)],
      warnings: ABSENT,
    },
  },
  {
    file: 'experiment/ab-no-default-50-50.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      // Judgment (mine): with no default, INDEX does not decide the roles;
      // names and shares only.
      traffic: [
        { name: 'iris', percent: 50 },
        { name: 'iris2', percent: 50 },
      ],
      // The split is exposed on a new endpoint.
      endpoint: { headers: { 'Seldon-Model': 'experiment-iris.experiment' } },
      warnings: ABSENT,
    },
  },
  {
    file: 'experiment/error-bad-spec-candidate-key.yaml',
    expected: {
      phase: 'Unknown',
      // `candidate` (singular) is not read: candidates absent, and invalid.
      traffic: [],
      warnings: expect.arrayContaining([expect.stringMatching(/candidate/i)]),
    },
  },
  {
    file: 'experiment/legacy-default-modelname.yaml',
    expected: {
      phase: 'Unknown',
      // Judgment (INDEX): `modelName` is the legacy alias of `name`.
      traffic: [main('iris', 50), canary('iris2', 50)],
    },
  },
  {
    file: 'experiment/legacy-defaultmodel-modelname.yaml',
    expected: {
      phase: 'Unknown',
      // Judgment (INDEX): `defaultModel` is the legacy alias of `default`
      // and `modelName` of `name`, so iris is the default.
      traffic: [main('iris', 50), canary('iris2', 50)],
    },
  },
  {
    file: 'experiment/model-mirror.yaml',
    expected: {
      phase: 'Unknown',
      traffic: [
        main('iris', 100),
        { name: 'iris2', percent: 100, role: 'mirror' },
      ],
      warnings: ABSENT,
    },
  },
  {
    file: 'experiment/pipeline-ab-50-50.yaml',
    expected: {
      phase: 'Unknown',
      traffic: [main('pipeline-add10', 50), canary('pipeline-mul10', 50)],
      warnings: ABSENT,
    },
  },
  {
    file: 'experiment/pipeline-mirror.yaml',
    expected: {
      phase: 'Unknown',
      traffic: [
        main('pipeline-add10', 100),
        { name: 'pipeline-mul10', percent: 100, role: 'mirror' },
      ],
      warnings: ABSENT,
    },
  },

  // ----- server/ ------------------------------------------------------------
  {
    // Judgment (INDEX): a dotted name is a valid object name (DNS-1123
    // subdomain) though not a valid Service name; shown as written.
    file: 'server/bad-name-with-dot.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [],
      versions: [{ component: 'mlserver.name', runtime: 'mlserver' }],
    },
  },
  {
    file: 'server/extra-capabilities.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [],
      versions: [
        {
          component: 'mlserver-134',
          image: 'seldonio/mlserver:1.3.4',
          runtime: 'mlserver',
        },
      ],
    },
  },
  {
    file: 'server/mlserver-minimal.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [],
      versions: [{ component: 'mlserver1', runtime: 'mlserver' }],
    },
  },
  {
    file: 'server/status-only-ready.json',
    wrap: 'serverStatus',
    expected: {
      phase: 'Ready',
      desiredReplicas: ABSENT,
      // A Server's `status.replicas` (kubectl column "Replicas").
      availableReplicas: 1,
      traffic: [],
    },
  },

  // ----- inferenceservice/ --------------------------------------------------
  {
    file: 'inferenceservice/argo-degraded-ocp.yaml',
    expected: {
      phase: 'Failed',
      // Nothing in the object says ModelMesh (no deploymentMode annotation).
      message: reasonNotModelMesh(
        /does not have any ready Revision|RevisionFailed|BlockedByFailedLoad/,
      ),
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [],
      versions: [],
    },
  },
  {
    file: 'inferenceservice/argo-degraded.yaml',
    expected: {
      phase: 'Failed',
      // A Serverless object: the reason is stated, ModelMesh is not.
      message: reasonNotModelMesh(
        /Predictor ingress not created|failed with message|BlockedByFailedLoad/,
      ),
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [],
      versions: [],
    },
  },
  {
    file: 'inferenceservice/argo-healthy-ocp.yaml',
    expected: {
      phase: 'Ready',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [],
      versions: [],
    },
  },
  {
    file: 'inferenceservice/argo-healthy-raw.yaml',
    expected: {
      phase: 'Ready',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      // RawDeployment: no revision split.
      traffic: [],
      versions: [],
    },
  },
  {
    file: 'inferenceservice/argo-healthy.yaml',
    expected: {
      phase: 'Ready',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      // `spec: {}`: no predictor, so no traffic.
      traffic: [],
      versions: [],
    },
  },
  {
    file: 'inferenceservice/argo-progressing-ocp.yaml',
    expected: {
      phase: 'Progressing',
      message: expect.stringContaining(
        'Configuration "helloworld-predictor" is waiting for a Revision to become ready.',
      ),
      traffic: [],
    },
  },
  {
    file: 'inferenceservice/argo-progressing.yaml',
    expected: {
      // Ready Unknown (RevisionMissing): creating, not failed.
      phase: 'Progressing',
      message: expect.stringContaining(
        'Configuration "hello-world-predictor-default" is waiting for a Revision to become ready.',
      ),
      traffic: [],
    },
  },
  {
    file: 'inferenceservice/argo-stopped.yaml',
    expected: {
      // `serving.kserve.io/stop: 'true'` and Stopped True: stopped, not failed.
      phase: 'Stopped',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [],
    },
  },
  {
    file: 'inferenceservice/canary-10-tag-routing.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [latest(10), previous(90)],
      warnings: ABSENT,
      versions: [
        {
          component: 'predictor',
          modelUri: 'gs://kserve-examples/models/sklearn/1.0/model-2',
          runtime: 'sklearn',
        },
      ],
    },
  },
  {
    file: 'inferenceservice/canary-10.yaml',
    expected: {
      phase: 'Unknown',
      // min/max replicas absent.
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      // Latest revision 10 %, previously rolled-out 90 %; no status, so the
      // revision names are not known (and not asserted).
      traffic: [latest(10), previous(90)],
      warnings: ABSENT,
      versions: [
        {
          component: 'predictor',
          modelUri: 'gs://kserve-examples/models/sklearn/1.0/model-2',
          runtime: 'sklearn',
        },
      ],
    },
  },
  {
    file: 'inferenceservice/canary-pinned-0.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      // canaryTrafficPercent 0: latest 0 % (shown, not absent), previous 100 %.
      traffic: [latest(0), previous(100)],
      warnings: ABSENT,
    },
  },
  {
    file: 'inferenceservice/canary-promoted.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      // canaryTrafficPercent unset: full rollout, no split, no "canary 0".
      traffic: [{ percent: 100, role: 'main' }],
      warnings: ABSENT,
    },
  },
  {
    file: 'inferenceservice/components-only-latest-20-prev-80.json',
    wrap: 'inferenceServiceComponents',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [
        canary('torchserve-predictor-default-00002', 20),
        main('torchserve-predictor-default-00001', 80),
      ],
      warnings: ABSENT,
    },
  },
  {
    // Judgment (INDEX): a `.json` file is read as JSON, so the trailing comma
    // is a parse error (a YAML parser would accept it; see the test below).
    file: 'inferenceservice/components-only-promoted-trailing-comma.json',
    expected: { rejected: 'parse error' },
  },
  {
    file: 'inferenceservice/components-only-rollback-latest-0-prev-100.json',
    wrap: 'inferenceServiceComponents',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      // Latest at 0 %: shown, not absent.
      traffic: [
        canary('torchserve-predictor-default-00002', 0),
        main('torchserve-predictor-default-00001', 100),
      ],
      warnings: ABSENT,
    },
  },
  {
    file: 'inferenceservice/components-predictor-only-prev-90-latest-10.json',
    wrap: 'inferenceServicePredictor',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [
        main('sklearn-iris-predictor-default-00001', 90),
        canary('sklearn-iris-predictor-default-00003', 10),
      ],
      warnings: ABSENT,
    },
  },
  {
    // Judgment (INDEX): serving.kserve.io never served v1alpha2; not coerced
    // to v1beta1 (where the required `spec.predictor` is absent).
    file: 'inferenceservice/nonexistent-version-v1alpha2.yaml',
    expected: { rejected: 'unsupported apiVersion' },
  },
  {
    file: 'inferenceservice/old-schema-explainer-alibi.yaml',
    expected: {
      phase: 'Unknown',
      // Predictor minReplicas 1. The explainer's own minReplicas 1 is its
      // own component (same judgment as the SeldonDeployment explainer).
      desiredReplicas: 1,
      availableReplicas: ABSENT,
      traffic: [{ percent: 100, role: 'main' }],
      warnings: ABSENT,
      versions: [
        {
          component: 'predictor',
          modelUri: 'gs://seldon-models/sklearn/income/model',
          runtime: 'sklearn',
        },
        // Explainer: alibi AnchorTabular with its own storageUri.
        {
          component: 'explainer',
          modelUri:
            'gs://kfserving-examples/models/sklearn/1.3/income/explainer',
        },
      ],
    },
  },
  {
    file: 'inferenceservice/old-schema-pytorch-canary-20.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      traffic: [latest(20), previous(80)],
      warnings: ABSENT,
      // Framework from the old-shape key.
      versions: [
        {
          component: 'predictor',
          modelUri:
            'gs://kfserving-examples/models/torchserve/image_classifier/v2',
          runtime: 'pytorch',
        },
      ],
    },
  },
  {
    file: 'inferenceservice/old-schema-transformer.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [{ percent: 100, role: 'main' }],
      warnings: ABSENT,
      // The commented-out `#storageUri: pvc://…` is not a value.
      versions: [
        { component: 'transformer', image: 'kserve/image-transformer:latest' },
        {
          component: 'predictor',
          modelUri:
            'gs://kfserving-examples/models/torchserve/image_classifier/v1',
          runtime: 'pytorch',
        },
      ],
    },
  },
  {
    file: 'inferenceservice/sdk-delete-response-v1alpha2-shape.yaml',
    expected: {
      // Judgment (INDEX): terminating (deletionTimestamp), status `{}` so
      // readiness unknown, model unknown, traffic absent; the v1alpha2-shaped
      // body is not reinterpreted, because the apiVersion says v1beta1.
      phase: 'Unknown',
      message: expect.stringMatching(/delet|terminat/i),
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [],
      versions: [],
    },
  },
  {
    file: 'inferenceservice/sdk-patch-response-stale-status.yaml',
    expected: {
      phase: 'Ready',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      // Judgment (INDEX): the reported traffic is one revision at 100 %; the
      // spec's canary 20 % is desired, not reported; no 80/20 is synthesised.
      // A revision that takes all traffic alone is the main one, not a canary.
      traffic: [main('flower-sample-predictor-default-fg4d6', 100)],
      versions: [
        {
          component: 'predictor',
          modelUri: 'gs://kfserving-examples/models/tensorflow/flowers-2',
          runtime: 'tensorflow',
        },
      ],
    },
  },

  // ----- modelmesh/ ---------------------------------------------------------
  {
    file: 'modelmesh/argo-degraded-blockedbyfailedload.yaml',
    expected: {
      // Serving (Ready True) and the update blocked: Failed (Argo CD:
      // Degraded), with the Ready True condition kept, so both show. The
      // object does not say ModelMesh (no deploymentMode annotation).
      phase: 'Failed',
      message: reasonNotModelMesh(/BlockedByFailedLoad/),
      conditions: expect.arrayContaining([
        expect.objectContaining({ type: 'Ready', status: 'True' }),
      ]),
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [],
    },
  },
  {
    // Judgment (INDEX): nothing in the object says ModelMesh; filed here
    // only because Argo CD names it `*_modelmesh`.
    file: 'modelmesh/argo-healthy-uptodate.yaml',
    expected: {
      phase: 'Ready',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [],
    },
  },
  {
    // Judgment (INDEX): Ready False with transitionStatus InProgress and no
    // failure reason is progressing, not failed.
    file: 'modelmesh/argo-progressing-inprogress.yaml',
    expected: {
      phase: 'Progressing',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [],
    },
  },
  {
    file: 'modelmesh/new-format-model.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [{ percent: 100, role: 'main' }],
      warnings: ABSENT,
      versions: [
        {
          component: 'predictor',
          modelUri: 's3://modelmesh-example-models/sklearn/mnist-svm.joblib',
          runtime: 'sklearn',
        },
      ],
    },
  },
  {
    file: 'modelmesh/old-format-sklearn.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [{ percent: 100, role: 'main' }],
      warnings: ABSENT,
      versions: [
        {
          component: 'predictor',
          modelUri: 's3://modelmesh-example-models/sklearn/mnist-svm.joblib',
          runtime: 'sklearn',
        },
      ],
    },
  },
  {
    file: 'modelmesh/storage-spec.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [{ percent: 100, role: 'main' }],
      warnings: ABSENT,
      // Judgment (INDEX): storageUri is absent; the storage key/path is the
      // model location. Runtime triton-2.x is stated.
      versions: [
        {
          component: 'predictor',
          modelUri: expect.stringContaining('my_models/mnist-tf'),
          runtime: 'triton-2.x',
        },
      ],
    },
  },
  {
    file: 'modelmesh/transformer-old-schema.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [{ percent: 100, role: 'main' }],
      warnings: ABSENT,
      // `{username}` is a literal placeholder, shown as is.
      versions: [
        {
          component: 'transformer',
          image: '{username}/driver-transformer:latest',
        },
        {
          component: 'predictor',
          modelUri: 'gs://kfserving-examples/models/feast/driver',
          runtime: 'sklearn',
        },
      ],
    },
  },

  // ----- inferenceservice-kfserving/ ----------------------------------------
  {
    file: 'inferenceservice-kfserving/components-predictor-only-latest-10-prev-90.json',
    wrap: 'kfservingPredictor',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [
        canary('my-model-predictor-default-00003', 10),
        main('my-model-predictor-default-00001', 90),
      ],
      warnings: ABSENT,
    },
  },
  {
    file: 'inferenceservice-kfserving/namespace-placeholder.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [{ percent: 100, role: 'main' }],
      warnings: ABSENT,
      versions: [
        {
          component: 'predictor',
          modelUri: 'gs://kfserving-examples/models/sklearn/iris',
          runtime: 'sklearn',
        },
      ],
    },
  },
  {
    file: 'inferenceservice-kfserving/sdk-delete-response-v1alpha2.yaml',
    expected: {
      // Terminating (deletionTimestamp); status `{}`: readiness unknown.
      phase: 'Unknown',
      message: expect.stringMatching(/delet|terminat/i),
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      // Judgment (INDEX): no `spec.canary` to send the 20 % to: default is
      // the only endpoint (its share is not asserted) and the orphan 20 %
      // is flagged. No canary is invented.
      traffic: [{ name: 'default', role: 'main' }],
      warnings: expect.arrayContaining([expect.stringMatching(/20/)]),
      versions: [
        {
          component: expect.stringContaining('default'),
          modelUri: 'gs://kfserving-samples/models/tensorflow/flowers-2',
          runtime: 'tensorflow',
        },
      ],
    },
  },
  {
    file: 'inferenceservice-kfserving/sdk-patch-response-stale-status.yaml',
    expected: {
      phase: 'Ready',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      // As in inferenceservice/sdk-patch-response-stale-status.yaml: the
      // reported single revision at 100 % is main; no 80/20 synthesised.
      traffic: [main('flower-sample-predictor-default-fg4d6', 100)],
      versions: [
        {
          component: 'predictor',
          modelUri: 'gs://kfserving-samples/models/tensorflow/flowers-2',
          runtime: 'tensorflow',
        },
      ],
    },
  },
  {
    file: 'inferenceservice-kfserving/v1alpha2-default-canary-10.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      // v1alpha2: top-level canaryTrafficPercent to `canary`, the rest to `default`.
      traffic: [main('default', 90), canary('canary', 10)],
      warnings: ABSENT,
      versions: [
        {
          component: expect.stringContaining('default'),
          modelUri: 'gs://kfserving-samples/models/tensorflow/flowers',
          runtime: 'tensorflow',
        },
        {
          component: expect.stringContaining('canary'),
          modelUri: 'gs://kfserving-samples/models/tensorflow/flowers-2',
          runtime: 'tensorflow',
        },
      ],
    },
  },
  {
    file: 'inferenceservice-kfserving/v1alpha2-pinned-0.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      // The canary is deployed with 0 %: shown as 0, not absent.
      traffic: [main('default', 100), canary('canary', 0)],
      warnings: ABSENT,
      versions: [
        {
          component: expect.stringContaining('default'),
          modelUri: 'gs://kfserving-samples/models/tensorflow/flowers',
          runtime: 'tensorflow',
        },
        {
          component: expect.stringContaining('canary'),
          modelUri: 'gs://kfserving-samples/models/tensorflow/flowers-2',
          runtime: 'tensorflow',
        },
      ],
    },
  },
  {
    file: 'inferenceservice-kfserving/v1beta1-canary-10.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [latest(10), previous(90)],
      warnings: ABSENT,
      versions: [
        {
          component: 'predictor',
          modelUri: 'gs://kfserving-samples/models/tensorflow/flowers-2',
          runtime: 'tensorflow',
        },
      ],
    },
  },
  {
    file: 'inferenceservice-kfserving/v1beta1-initial.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      // No canary: latest 100 %.
      traffic: [{ percent: 100, role: 'main' }],
      warnings: ABSENT,
      versions: [
        {
          component: 'predictor',
          modelUri: 'gs://kfserving-samples/models/tensorflow/flowers',
          runtime: 'tensorflow',
        },
      ],
    },
  },
  {
    file: 'inferenceservice-kfserving/v1beta1-pinned-0.yaml',
    expected: {
      phase: 'Unknown',
      desiredReplicas: ABSENT,
      availableReplicas: ABSENT,
      traffic: [latest(0), previous(100)],
      warnings: ABSENT,
      versions: [
        {
          component: 'predictor',
          modelUri: 'gs://kfserving-samples/models/tensorflow/flowers-2',
          runtime: 'tensorflow',
        },
      ],
    },
  },
];

// ---------------------------------------------------------------------------
// Assertions
// ---------------------------------------------------------------------------

/** Order does not matter in a split: biggest share first, then by name. */
function byShare<T>(traffic: T[]): T[] {
  const key = (t: any) => [
    typeof t.percent === 'number' ? -t.percent : 0,
    typeof t.name === 'string' ? t.name : '\uffff',
  ];
  return [...traffic].sort((a, b) => {
    const [pa, na] = key(a);
    const [pb, nb] = key(b);
    return (pa as number) - (pb as number) || String(na).localeCompare(nb);
  });
}

/** Order does not matter in versions either: by artifact, image, then component. */
function byArtifact<T>(versions: T[]): T[] {
  const text = (v: unknown) => (typeof v === 'string' ? v : '\uffff');
  const key = (v: any) =>
    `${text(v.modelUri)}\u0000${text(v.image)}\u0000${text(v.component)}`;
  return [...versions].sort((a, b) => key(a).localeCompare(key(b)));
}

/** The fields a row states, taken from the outcome, with `rejected` always present. */
function shownFields(outcome: Outcome, expected: Row['expected']) {
  if (outcome.rejected) {
    return { rejected: outcome.rejected, error: outcome.error };
  }
  const status = outcome.status as unknown as Record<string, unknown>;
  const shown: Record<string, unknown> = { rejected: undefined };
  for (const key of Object.keys(expected)) {
    shown[key] = status[key];
  }
  if (Array.isArray(shown.traffic)) {
    shown.traffic = byShare(shown.traffic);
  }
  if (Array.isArray(shown.versions)) {
    shown.versions = byArtifact(shown.versions);
  }
  return shown;
}

function expectedFields(expected: Row['expected']) {
  const fields: Record<string, unknown> = { rejected: undefined, ...expected };
  if (Array.isArray(fields.traffic)) {
    fields.traffic = byShare(fields.traffic);
  }
  if (Array.isArray(fields.versions)) {
    fields.versions = byArtifact(fields.versions);
  }
  return fields;
}

describe('corpus of published manifests', () => {
  it.each(rows)('$file', ({ file, wrap, expected }) => {
    const outcome = readCorpusFile(file, wrap);
    expect(shownFields(outcome, expected)).toMatchObject(
      expectedFields(expected),
    );
  });

  it('has one row per corpus file and one corpus file per row', () => {
    const walk = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? walk(full) : [full];
      });
    const files = walk(CORPUS)
      .map(full => path.relative(CORPUS, full).split(path.sep).join('/'))
      .filter(file => file !== 'INDEX.md')
      .sort();
    expect(rows.map(row => row.file).sort()).toEqual(files);
    expect(files).toHaveLength(88);
  });

  it('reads the trailing-comma file as a YAML parser would, to show why .json is read as JSON', () => {
    const file =
      'inferenceservice/components-only-promoted-trailing-comma.json';
    const body = readCorpusBody(file);
    expect(() => JSON.parse(body)).toThrow();
    // YAML 1.2 flow sequences allow a trailing comma, so `yaml` accepts it:
    // latest `…-00002` 100 %, the content INDEX.md describes.
    expect(parse(body)).toMatchObject({
      predictor: {
        latestRolledoutRevision: 'torchserve-predictor-default-00002',
        previousRolledoutRevision: 'torchserve-predictor-default-00001',
        traffic: [
          {
            revisionName: 'torchserve-predictor-default-00002',
            percent: 100,
          },
        ],
      },
    });
  });

  it('shows no replica count and no traffic target that the resource does not state', () => {
    const isNumber = (value: unknown) => typeof value === 'number';
    const list = (value: unknown): any[] => (Array.isArray(value) ? value : []);
    const values = (value: unknown): any[] =>
      value && typeof value === 'object' ? Object.values(value) : [];
    const isObject = (value: unknown) =>
      Boolean(value) && typeof value === 'object' && !Array.isArray(value);

    const statesDesired = ({ spec, status }: KubernetesObject) =>
      isNumber(spec?.replicas) ||
      list(spec?.predictors).some(
        p =>
          isNumber(p?.replicas) ||
          list(p?.componentSpecs).some(c => isNumber(c?.replicas)),
      ) ||
      isNumber(spec?.predictor?.minReplicas) ||
      isNumber(spec?.minReplicas) ||
      values(status?.deploymentStatus).some(d => isNumber(d?.replicas)) ||
      list(status?.predictorStatus).some(p => isNumber(p?.replicas));

    const statesAvailable = ({ kind, status }: KubernetesObject) =>
      values(status?.deploymentStatus).some(d =>
        isNumber(d?.availableReplicas),
      ) ||
      list(status?.predictorStatus).some(p => isNumber(p?.replicasAvailable)) ||
      isNumber(status?.availableReplicas) ||
      (kind === 'Server' && isNumber(status?.replicas)) ||
      isNumber(status?.modelStatus?.copies?.totalCopies);

    // A Model or Pipeline is itself the target its requests go to, so its
    // name counts (for a wrapped status fragment that is the wrapper's name).
    const namesTarget = ({ kind, metadata, spec, status }: KubernetesObject) =>
      list(spec?.predictors).length > 0 ||
      isObject(spec?.predictor) ||
      isObject(spec?.default) ||
      isObject(spec?.canary) ||
      list(spec?.candidates).length > 0 ||
      typeof spec?.mirror?.name === 'string' ||
      values(status?.components).some(c => list(c?.traffic).length > 0) ||
      ((kind === 'Model' || kind === 'Pipeline') &&
        typeof metadata?.name === 'string');

    const violations: string[] = [];
    let read = 0;
    for (const { file, wrap } of rows) {
      const outcome = readCorpusFile(file, wrap);
      if (outcome.rejected) {
        continue;
      }
      read += 1;
      const { object, status } = outcome;
      if (status.desiredReplicas !== undefined && !statesDesired(object)) {
        violations.push(
          `${file}: desiredReplicas ${status.desiredReplicas}, but no replicas field is stated`,
        );
      }
      if (status.availableReplicas !== undefined && !statesAvailable(object)) {
        violations.push(
          `${file}: availableReplicas ${status.availableReplicas}, but no availability field is stated`,
        );
      }
      if (status.traffic.length > 0 && !namesTarget(object)) {
        violations.push(
          `${file}: traffic to ${status.traffic
            .map(t => t.name)
            .join(
              ', ',
            )}, but no predictor, candidate, model or traffic entry is named`,
        );
      }
    }
    // Every file that is not rejected on purpose was read.
    expect(read).toBe(rows.filter(row => !('rejected' in row.expected)).length);
    expect(violations).toEqual([]);
  });
});
