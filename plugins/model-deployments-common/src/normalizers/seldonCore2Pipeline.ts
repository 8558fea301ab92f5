import { NormalizedDeploymentStatus, TrafficTarget } from '../types';
import {
  KubernetesObject,
  asNumber,
  asString,
  readConditions,
  withDeletion,
} from './kubernetesObject';

import { meshEndpoint, phaseFromReady } from './seldonCore2Status';

/** `spec.steps[]` properties of the mlops.seldon.io Pipeline CRD (v2.8). */
const PIPELINE_STEP_KEYS = new Set([
  'name',
  'inputs',
  'inputsJoinType',
  'joinWindowMs',
  'tensorMap',
  'triggers',
  'triggersJoinType',
  'batch',
]);

/**
 * Normalizes a Seldon Core 2 `Pipeline` (`mlops.seldon.io/v1alpha1`).
 *
 * @public
 */
export function normalizeSeldonPipeline(
  object: KubernetesObject,
): NormalizedDeploymentStatus {
  const conditions = readConditions(object);
  const name = object.metadata?.name ?? 'pipeline';
  const steps: Array<{ name?: string }> = Array.isArray(object.spec?.steps)
    ? object.spec.steps
    : [];
  // Keys of a step in the Pipeline CRD; the operator drops any other, so a
  // typo such as `input` for `inputs` silently rewires the pipeline.
  const warnings = steps.flatMap(step => {
    if (!step || typeof step !== 'object') return [];
    const unknown = Object.keys(step).filter(
      key => !PIPELINE_STEP_KEYS.has(key),
    );
    return unknown.length
      ? [
          `Step ${asString(step.name) ?? '(unnamed)'} has unknown key${
            unknown.length > 1 ? 's' : ''
          } ${unknown.join(', ')}; the Pipeline CRD knows ${[
            ...PIPELINE_STEP_KEYS,
          ].join(', ')}`,
        ]
      : [];
  });
  return withDeletion(object, {
    ...phaseFromReady(conditions, [
      'ModelsReady',
      'PipelineGwReady',
      'PipelineReady',
    ]),
    versions: steps
      .filter(s => asString(s?.name))
      .map(s => ({ component: s.name as string })),
    traffic: [{ name, percent: 100, role: 'main' }],
    endpoint: meshEndpoint(
      object.metadata?.namespace,
      name,
      `${name}.pipeline`,
    ),
    conditions,
    ...(warnings.length ? { warnings } : {}),
  });
}

/**
 * Normalizes a Seldon Core 2 `Experiment` (`mlops.seldon.io/v1alpha1`):
 * candidates split traffic by weight, the `default` candidate is main (with
 * no default every candidate is a canary) and a `mirror` receives a copy of
 * `percent` of the requests. An Experiment without candidates is flagged.
 *
 * @public
 */
export function normalizeSeldonExperiment(
  object: KubernetesObject,
): NormalizedDeploymentStatus {
  const conditions = readConditions(object);
  const name = object.metadata?.name ?? 'experiment';
  const spec = object.spec ?? {};
  const rawCandidates: any[] = Array.isArray(spec.candidates)
    ? spec.candidates
    : [];
  // `modelName` is the key of the first Experiment releases.
  const candidates = rawCandidates
    .map((c: any) => ({
      name: asString(c?.name) ?? asString(c?.modelName),
      weight: asNumber(c?.weight),
    }))
    .filter((c): c is { name: string; weight: number | undefined } =>
      Boolean(c.name),
    );
  const warnings: string[] = [];
  if (candidates.length === 0) {
    warnings.push('The Experiment has no candidates: it routes nothing');
  }
  const totalWeight = candidates.reduce((sum, c) => sum + (c.weight ?? 0), 0);
  // `defaultModel` is the key of the first Experiment releases.
  const defaultName = asString(spec.default) ?? asString(spec.defaultModel);
  // Weights are relative: each candidate's share is its weight over the total.
  const traffic: TrafficTarget[] = candidates.map(c => ({
    name: c.name,
    percent:
      totalWeight > 0
        ? Math.round(((c.weight ?? 0) * 10000) / totalWeight) / 100
        : 0,
    // Without a default, no candidate is the baseline: each is on trial.
    role: c.name === defaultName ? 'main' : 'canary',
  }));
  if (candidates.length > 0 && totalWeight <= 0) {
    warnings.push(
      "The candidates' weights add up to 0: no share can be worked out",
    );
  }
  if (spec.mirror && typeof spec.mirror === 'object') {
    const mirrorName = asString(spec.mirror.name);
    if (mirrorName) {
      traffic.push({
        name: mirrorName,
        percent: asNumber(spec.mirror.percent) ?? 100,
        role: 'mirror',
      });
    } else {
      warnings.push('The mirror names no target');
    }
  }
  const mirrorName = asString(spec.mirror?.name);
  const isPipeline = spec.resourceType === 'pipeline';
  // With a default, the split applies on the default's own endpoint.
  const header = defaultName
    ? `${defaultName}${isPipeline ? '.pipeline' : ''}`
    : `${name}.experiment`;
  return withDeletion(object, {
    ...phaseFromReady(conditions, [
      'CandidatesReady',
      'MirrorReady',
      'ExperimentReady',
    ]),
    versions: [
      ...candidates.map(c => ({ component: c.name })),
      ...(mirrorName ? [{ component: mirrorName }] : []),
    ],
    traffic,
    endpoint: meshEndpoint(
      object.metadata?.namespace,
      defaultName ?? name,
      header,
    ),
    conditions,
    ...(warnings.length ? { warnings } : {}),
  });
}
