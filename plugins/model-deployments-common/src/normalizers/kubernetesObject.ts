import { DeploymentCondition } from '../types';

/**
 * The parts of a Kubernetes object that the normalizers read. Everything
 * else is typed loosely on purpose: the objects come from CRDs of several
 * versions, and a missing or malformed field must never throw.
 *
 * @public
 */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
    resourceVersion?: string;
    generation?: number;
    [key: string]: unknown;
  };
  spec?: any;
  status?: any;
  [key: string]: unknown;
}

/** Reads `status.conditions`, dropping malformed entries. */
export function readConditions(
  object: KubernetesObject,
): DeploymentCondition[] {
  const raw = object.status?.conditions;
  if (!Array.isArray(raw)) {
    return [];
  }
  return raw
    .filter(c => c && typeof c.type === 'string')
    .map(c => ({
      type: c.type,
      status:
        c.status === 'True' || c.status === 'False' ? c.status : 'Unknown',
      ...(typeof c.reason === 'string' && c.reason ? { reason: c.reason } : {}),
      ...(typeof c.message === 'string' && c.message
        ? { message: c.message }
        : {}),
      ...(typeof c.lastTransitionTime === 'string'
        ? { lastTransitionTime: c.lastTransitionTime }
        : {}),
    }));
}

export function findCondition(
  conditions: DeploymentCondition[],
  type: string,
): DeploymentCondition | undefined {
  return conditions.find(c => c.type === type);
}

/** The first condition that is False, preferring ones that carry a message. */
export function firstFalseCondition(
  conditions: DeploymentCondition[],
): DeploymentCondition | undefined {
  const falseOnes = conditions.filter(c => c.status === 'False');
  return falseOnes.find(c => c.message) ?? falseOnes[0];
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function conditionSummary(c: DeploymentCondition | undefined) {
  if (!c) {
    return undefined;
  }
  return c.message ?? c.reason ?? `${c.type} is ${c.status}`;
}

/**
 * The status with a note that the object is being deleted, when the API
 * server says so (`metadata.deletionTimestamp`): whatever its phase, the
 * model is on its way out.
 */
export function withDeletion<T extends { message?: string }>(
  object: KubernetesObject,
  status: T,
): T {
  const since = object.metadata?.deletionTimestamp;
  if (typeof since !== 'string' || !since) return status;
  return {
    ...status,
    message: `Being deleted (since ${since})${
      status.message ? `; ${status.message}` : ''
    }`,
  };
}
