import { isError } from '@backstage/errors';
import {
  Environment,
  ModelDeployment,
  PromotionGateResult,
} from '@seed-mlops/plugin-model-deployments-common';
import { GitOpsService } from '../../gitops/GitOpsService';
import { EnvironmentHistory } from '../../gitops/HistoryReader';
import { PromotionSource } from '../../service/DeploymentsService';
import { prometheusInstantQuery } from './prometheusQuery';
import { MetricGate, VerificationPolicy } from './readVerificationConfig';

/** `12 min`, `3 h 5 min`, `2 d 4 h`: how long, for people. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.max(0, Math.floor(ms / 1000))} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24)
    return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  const days = Math.floor(hours / 24);
  return `${days} d${hours % 24 ? ` ${hours % 24} h` : ''}`;
}

const describe = (d: ModelDeployment) => `${d.kind} ${d.name}`;

/** The later of a deployment's Ready transition and its last Git change. */
function soakingSince(
  deployment: ModelDeployment,
  history: EnvironmentHistory | undefined,
): { since?: number; why?: string } {
  if (deployment.phase !== 'Ready') {
    return { why: `${describe(deployment)} is ${deployment.phase}` };
  }
  if (deployment.sync?.state === 'OutOfSync') {
    return { why: `${describe(deployment)} is out of sync with Git` };
  }
  const ready = deployment.conditions.find(
    c => c.type === 'Ready' && c.status === 'True',
  )?.lastTransitionTime;
  if (!ready || Number.isNaN(Date.parse(ready))) {
    return {
      why: `${describe(
        deployment,
      )} does not say since when it is Ready (no Ready condition time)`,
    };
  }
  let since = Date.parse(ready);
  const newest = deployment.gitPath
    ? history?.changes.get(deployment.gitPath)?.[0]
    : undefined;
  if (newest !== undefined && history) {
    since = Math.max(since, Date.parse(history.commits[newest].committedAt));
  }
  return { since };
}

function bound(gate: MetricGate): string {
  return [
    gate.min !== undefined ? `at least ${gate.min}` : '',
    gate.max !== undefined ? `at most ${gate.max}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
}

/**
 * The verification gates of a source environment, checked before a model
 * is promoted out of it: its deployments Ready and in sync, for long
 * enough (the watch cache's conditions and the Git history say since
 * when), and each metric within its bound (Prometheus says).
 */
export class PromotionGates {
  constructor(
    private readonly deps: {
      policies: Map<string, VerificationPolicy>;
      gitops?: GitOpsService;
      now?: () => number;
    },
  ) {}

  policyOf(env: Environment): VerificationPolicy | undefined {
    return this.deps.policies.get(env.name);
  }

  /** Every gate of `from` for these source deployments; none without a policy. */
  async check(
    from: Environment,
    sources: PromotionSource[],
  ): Promise<PromotionGateResult[]> {
    const policy = this.policyOf(from);
    if (!policy) return [];
    const deployments = sources.map(s => s.deployment);
    const results: PromotionGateResult[] = [];
    if (policy.requireReady) results.push(readyGate(deployments));
    if (policy.minSoakTimeMs !== undefined) {
      results.push(
        await this.soakGate(from, deployments, policy.minSoakTimeMs),
      );
    }
    for (const metric of policy.metrics) {
      for (const deployment of deployments) {
        results.push(
          await metricGate(policy, metric, deployment, deployments.length > 1),
        );
      }
    }
    return results;
  }

  private async soakGate(
    from: Environment,
    deployments: ModelDeployment[],
    minMs: number,
  ): Promise<PromotionGateResult> {
    const expected = `at least ${formatDuration(minMs)}`;
    const history = await this.deps.gitops?.history(from);
    const now = this.deps.now?.() ?? Date.now();
    let shortest: number | undefined;
    for (const deployment of deployments) {
      const { since, why } = soakingSince(deployment, history);
      if (since === undefined) {
        return {
          name: 'soak-time',
          kind: 'soak-time',
          passed: false,
          expected,
          message: `Cannot count the soak time: ${why}`,
        };
      }
      shortest = Math.min(shortest ?? Infinity, now - since);
    }
    const soaked = shortest ?? 0;
    const passed = soaked >= minMs;
    return {
      name: 'soak-time',
      kind: 'soak-time',
      passed,
      value: `Ready and in sync for ${formatDuration(soaked)}`,
      expected,
      message: passed
        ? `Ready and in sync with Git in '${from.name}' for ${formatDuration(
            soaked,
          )}`
        : `Ready and in sync with Git in '${
            from.name
          }' for only ${formatDuration(soaked)}; needs ${formatDuration(
            minMs,
          )}`,
    };
  }
}

function readyGate(deployments: ModelDeployment[]): PromotionGateResult {
  const notReady = deployments.filter(
    d => d.phase !== 'Ready' || d.sync?.state === 'OutOfSync',
  );
  return {
    name: 'source-ready',
    kind: 'source-ready',
    passed: notReady.length === 0,
    value: deployments
      .map(
        d => `${describe(d)}: ${d.phase}${d.sync ? `, ${d.sync.state}` : ''}`,
      )
      .join('; '),
    expected: 'Ready and in sync with Git',
    message:
      notReady.length === 0
        ? 'Every deployment is Ready and in sync with Git'
        : `${notReady.map(describe).join(', ')} not Ready and in sync with Git`,
  };
}

async function metricGate(
  policy: VerificationPolicy,
  metric: MetricGate,
  deployment: ModelDeployment,
  several: boolean,
): Promise<PromotionGateResult> {
  const name = several
    ? `${metric.name} (${describe(deployment)})`
    : metric.name;
  const expected = bound(metric);
  const query = metric.query
    .replace(/\{\{\s*namespace\s*\}\}/g, deployment.namespace)
    .replace(/\{\{\s*name\s*\}\}/g, deployment.name);
  let value: number | undefined;
  try {
    value = await prometheusInstantQuery(policy.prometheus!, query);
  } catch (error) {
    return {
      name,
      kind: 'metric',
      passed: false,
      expected,
      message: String(isError(error) ? error.message : error),
    };
  }
  if (value === undefined) {
    return {
      name,
      kind: 'metric',
      passed: false,
      expected,
      message: `No data for ${query}`,
    };
  }
  const passed =
    (metric.max === undefined || value <= metric.max) &&
    (metric.min === undefined || value >= metric.min);
  return {
    name,
    kind: 'metric',
    passed,
    value: String(value),
    expected,
    message: `${metric.name} is ${value}${
      passed ? '' : `; must be ${expected}`
    }`,
  };
}
