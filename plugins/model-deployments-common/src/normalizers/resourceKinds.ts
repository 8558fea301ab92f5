import { isError } from '@backstage/errors';
import { ModelDeployment, NormalizedDeploymentStatus } from '../types';
import { KubernetesObject } from './kubernetesObject';
import { normalizeSeldonDeployment } from './seldonDeployment';
import {
  normalizeSeldonExperiment,
  normalizeSeldonModel,
  normalizeSeldonPipeline,
  normalizeSeldonServer,
} from './seldonCore2';
import { normalizeInferenceService } from './kserve';

/**
 * A model-serving resource kind the backend watches, and how to turn one of
 * its objects into a {@link NormalizedDeploymentStatus}.
 *
 * @public
 */
export interface ModelResourceKind {
  /** API group, e.g. `machinelearning.seldon.io`. */
  group: string;
  /** API version, e.g. `v1`. */
  version: string;
  /** Kind, e.g. `SeldonDeployment`. */
  kind: string;
  /** Plural resource name in API paths, e.g. `seldondeployments`. */
  plural: string;
  /** Must not throw on partial or malformed objects. */
  normalize(object: KubernetesObject): NormalizedDeploymentStatus;
}

/** @public */
export const seldonDeploymentResourceKind: ModelResourceKind = {
  group: 'machinelearning.seldon.io',
  version: 'v1',
  kind: 'SeldonDeployment',
  plural: 'seldondeployments',
  normalize: normalizeSeldonDeployment,
};

/** @public */
export const seldonModelResourceKind: ModelResourceKind = {
  group: 'mlops.seldon.io',
  version: 'v1alpha1',
  kind: 'Model',
  plural: 'models',
  normalize: normalizeSeldonModel,
};

/** @public */
export const seldonPipelineResourceKind: ModelResourceKind = {
  group: 'mlops.seldon.io',
  version: 'v1alpha1',
  kind: 'Pipeline',
  plural: 'pipelines',
  normalize: normalizeSeldonPipeline,
};

/** @public */
export const seldonExperimentResourceKind: ModelResourceKind = {
  group: 'mlops.seldon.io',
  version: 'v1alpha1',
  kind: 'Experiment',
  plural: 'experiments',
  normalize: normalizeSeldonExperiment,
};

/**
 * Seldon Core 2 Servers: not models themselves, but a Model's card says
 * which one it is loaded on and whether that one is Ready.
 *
 * @public
 */
export const seldonServerResourceKind: ModelResourceKind = {
  group: 'mlops.seldon.io',
  version: 'v1alpha1',
  kind: 'Server',
  plural: 'servers',
  normalize: normalizeSeldonServer,
};

/**
 * InferenceServices of the legacy KFServing group, read like KServe's. Not
 * watched by default (few clusters still have the CRD, and a missing CRD is
 * a warning on every environment); add it through
 * `modelDeploymentsResourceKindsExtensionPoint`.
 *
 * @public
 */
export const kfservingInferenceServiceResourceKind: ModelResourceKind = {
  group: 'serving.kubeflow.org',
  version: 'v1beta1',
  kind: 'InferenceService',
  plural: 'inferenceservices',
  normalize: normalizeInferenceService,
};

/** @public */
export const inferenceServiceResourceKind: ModelResourceKind = {
  group: 'serving.kserve.io',
  version: 'v1beta1',
  kind: 'InferenceService',
  plural: 'inferenceservices',
  normalize: normalizeInferenceService,
};

/**
 * The kinds watched out of the box: Seldon Core v1 and v2, and KServe.
 *
 * @public
 */
export const defaultModelResourceKinds: readonly ModelResourceKind[] = [
  seldonDeploymentResourceKind,
  seldonModelResourceKind,
  seldonPipelineResourceKind,
  seldonExperimentResourceKind,
  seldonServerResourceKind,
  inferenceServiceResourceKind,
];

/**
 * `group/version`, as in an object's `apiVersion`.
 *
 * @public
 */
export function apiVersionOf(
  kind: Pick<ModelResourceKind, 'group' | 'version'>,
) {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version;
}

/**
 * A readable identifier such as `machinelearning.seldon.io/v1 SeldonDeployment`.
 *
 * @public
 */
export function resourceKindLabel(
  kind: Pick<ModelResourceKind, 'group' | 'version' | 'kind'>,
) {
  return `${apiVersionOf(kind)} ${kind.kind}`;
}

function latestTime(times: Array<string | undefined>): string | undefined {
  let latest: string | undefined;
  let latestMs = -Infinity;
  for (const t of times) {
    const ms = t ? Date.parse(t) : NaN;
    if (!Number.isNaN(ms) && ms > latestMs) {
      latestMs = ms;
      latest = t;
    }
  }
  return latest;
}

/**
 * Turns a Kubernetes object into the {@link ModelDeployment} shown to users.
 *
 * @public
 */
export function toModelDeployment(
  object: KubernetesObject,
  kind: ModelResourceKind,
  environment: string,
): ModelDeployment {
  let status: NormalizedDeploymentStatus;
  try {
    status = kind.normalize(object);
  } catch (e) {
    // A normalizer bug must not hide the object; show it as Unknown instead.
    status = {
      phase: 'Unknown',
      message: `Could not read the status: ${isError(e) ? e.message : e}`,
      versions: [],
      traffic: [],
      conditions: [],
    };
  }
  const metadata = object.metadata ?? {};
  const createdAt = metadata.creationTimestamp;
  const updatedAt = latestTime([
    createdAt,
    ...status.conditions.map(c => c.lastTransitionTime),
  ]);
  return {
    environment,
    apiVersion: object.apiVersion ?? apiVersionOf(kind),
    kind: object.kind ?? kind.kind,
    name: metadata.name ?? '',
    namespace: metadata.namespace ?? '',
    ...(metadata.uid ? { uid: metadata.uid } : {}),
    labels: { ...(metadata.labels ?? {}) },
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
    ...status,
  };
}
