import { KubernetesObject } from '../normalizers/kubernetesObject';

/** Readable field path (e.g. `predictors[canary].replicas`) to its value. */
export type Fields = Map<string, unknown>;

function put(fields: Fields, key: string, value: unknown) {
  if (value !== undefined && value !== null && value !== '') {
    fields.set(key, value);
  }
}

function containerImages(fields: Fields, prefix: string, podSpec: any) {
  const containers: any[] = Array.isArray(podSpec?.containers)
    ? podSpec.containers
    : [];
  for (const container of containers) {
    put(
      fields,
      `${prefix}containers[${container?.name ?? '?'}].image`,
      container?.image,
    );
  }
}

function graphUris(fields: Fields, prefix: string, node: any, depth = 0) {
  if (!node || depth > 20) return;
  const here = `${prefix}.graph${depth ? `[${node.name ?? '?'}]` : ''}`;
  put(fields, `${here}.modelUri`, node.modelUri);
  put(fields, `${here}.implementation`, node.implementation);
  for (const child of Array.isArray(node.children) ? node.children : []) {
    graphUris(fields, prefix, child, depth + 1);
  }
}

/** Seldon Core v1 `SeldonDeployment`: each predictor's graph and components. */
function seldonDeploymentFields(fields: Fields, spec: any) {
  put(fields, 'replicas', spec.replicas);
  for (const predictor of Array.isArray(spec.predictors)
    ? spec.predictors
    : []) {
    const prefix = `predictors[${predictor?.name ?? '?'}]`;
    graphUris(fields, prefix, predictor?.graph);
    put(fields, `${prefix}.replicas`, predictor?.replicas);
    put(fields, `${prefix}.traffic`, predictor?.traffic);
    put(fields, `${prefix}.shadow`, predictor?.shadow || undefined);
    for (const [i, componentSpec] of (Array.isArray(predictor?.componentSpecs)
      ? predictor.componentSpecs
      : []
    ).entries()) {
      containerImages(
        fields,
        `${prefix}.componentSpecs[${i}].`,
        componentSpec?.spec,
      );
      put(
        fields,
        `${prefix}.componentSpecs[${i}].replicas`,
        componentSpec?.replicas,
      );
    }
  }
}

/** Seldon Core 2 `Model`: what it loads, how many, and where. */
function seldonModelFields(fields: Fields, spec: any) {
  put(fields, 'storageUri', spec.storageUri);
  put(fields, 'replicas', spec.replicas);
  put(fields, 'minReplicas', spec.minReplicas);
  put(fields, 'maxReplicas', spec.maxReplicas);
  put(
    fields,
    'requirements',
    Array.isArray(spec.requirements) ? spec.requirements.join(', ') : undefined,
  );
  put(fields, 'server', spec.server);
}

/** Seldon Core 2 `Pipeline`: its steps with their inputs, and its output. */
function seldonPipelineFields(fields: Fields, spec: any) {
  put(
    fields,
    'steps',
    Array.isArray(spec.steps)
      ? spec.steps
          .map(
            (s: any) =>
              `${s?.name}${
                Array.isArray(s?.inputs) && s.inputs.length
                  ? `<-${s.inputs.join('+')}`
                  : ''
              }`,
          )
          .join(', ')
      : undefined,
  );
  put(
    fields,
    'output',
    Array.isArray(spec.output?.steps)
      ? spec.output.steps.join(', ')
      : undefined,
  );
}

/** Seldon Core 2 `Experiment`: the candidates' weights and the mirror. */
function seldonExperimentFields(fields: Fields, spec: any) {
  put(fields, 'default', spec.default);
  for (const candidate of Array.isArray(spec.candidates)
    ? spec.candidates
    : []) {
    put(
      fields,
      `candidates[${candidate?.name ?? '?'}].weight`,
      candidate?.weight,
    );
  }
  put(fields, 'mirror.name', spec.mirror?.name);
  put(fields, 'mirror.percent', spec.mirror?.percent);
}

/** KServe `InferenceService`: each component's model, scale and canary share. */
function inferenceServiceFields(fields: Fields, spec: any) {
  for (const component of ['predictor', 'transformer', 'explainer']) {
    const c = spec[component];
    if (!c) continue;
    put(fields, `${component}.minReplicas`, c.minReplicas);
    put(fields, `${component}.maxReplicas`, c.maxReplicas);
    put(fields, `${component}.canaryTrafficPercent`, c.canaryTrafficPercent);
    put(fields, `${component}.model.storageUri`, c.model?.storageUri);
    put(fields, `${component}.model.modelFormat`, c.model?.modelFormat?.name);
    put(fields, `${component}.model.runtime`, c.model?.runtime);
    containerImages(fields, `${component}.`, c);
    // Older per-framework shorthand, e.g. `sklearn: { storageUri }`.
    for (const [key, value] of Object.entries(c)) {
      if (
        value &&
        typeof value === 'object' &&
        typeof (value as any).storageUri === 'string' &&
        key !== 'model'
      ) {
        put(
          fields,
          `${component}.${key}.storageUri`,
          (value as any).storageUri,
        );
      }
    }
  }
}

/**
 * The spec fields that decide what serves and how much traffic it gets:
 * model URIs, images, replicas and traffic. Status, metadata and fields the
 * server defaults are left out, so a faithful apply compares equal.
 */
export function significantFields(object: KubernetesObject): Fields {
  const fields: Fields = new Map();
  const spec = object.spec ?? {};
  switch (object.kind) {
    case 'SeldonDeployment':
      seldonDeploymentFields(fields, spec);
      break;
    case 'Model':
      seldonModelFields(fields, spec);
      break;
    case 'Pipeline':
      seldonPipelineFields(fields, spec);
      break;
    case 'Experiment':
      seldonExperimentFields(fields, spec);
      break;
    case 'InferenceService':
      inferenceServiceFields(fields, spec);
      break;
    default:
      // An added kind: compare its whole spec as one value, by content: the
      // API server re-encodes objects with their keys sorted, Git keeps the
      // author's order.
      put(fields, 'spec', spec);
  }
  return fields;
}
