import { DeploymentCondition, DeploymentPhase } from '../types';
import {
  conditionSummary,
  findCondition,
  firstFalseCondition,
} from './kubernetesObject';

/** Seldon Core 2 routes every request through the `seldon-mesh` service of the namespace. */
export function meshEndpoint(
  namespace: string | undefined,
  model: string,
  header: string,
) {
  const host = namespace
    ? `seldon-mesh.${namespace}.svc.cluster.local`
    : 'seldon-mesh';
  return {
    url: `http://${host}/v2/models/${model}/infer`,
    headers: { 'Seldon-Model': header },
  };
}

/**
 * Phase from the knative-style `Ready` condition, for pipelines and experiments.
 * A False condition whose reason or message names a failure is Failed;
 * otherwise the resource is still converging.
 */
export function phaseFromReady(
  conditions: DeploymentCondition[],
  subConditions: string[],
): { phase: DeploymentPhase; message?: string } {
  const ready = findCondition(conditions, 'Ready');
  if (!ready) {
    // Some operator versions report only the parts (e.g. ModelsReady and
    // PipelineReady for a Pipeline): all True is Ready, any False is not.
    const parts = conditions.filter(c => subConditions.includes(c.type));
    if (parts.length > 0 && parts.every(c => c.status === 'True')) {
      return { phase: 'Ready' };
    }
    const culprit = firstFalseCondition(parts);
    if (culprit) {
      const failed = /fail|error|invalid/i.test(
        `${culprit.reason ?? ''} ${culprit.message ?? ''}`,
      );
      return {
        phase: failed ? 'Failed' : 'Progressing',
        message: conditionSummary(culprit),
      };
    }
    return {
      phase: 'Unknown',
      message: 'The Seldon Core 2 scheduler has not reported a status yet.',
    };
  }
  if (ready.status === 'True') {
    return { phase: 'Ready' };
  }
  const culprit =
    firstFalseCondition(
      conditions.filter(c => subConditions.includes(c.type)),
    ) ?? ready;
  const text = `${culprit.reason ?? ''} ${culprit.message ?? ''}`;
  const failed = /fail|error|invalid/i.test(text);
  return {
    phase: failed ? 'Failed' : 'Progressing',
    message: conditionSummary(culprit),
  };
}
