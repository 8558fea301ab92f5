import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { optionalDurationMs } from '../../options/readOptions';

/** One metric gate: a PromQL query and the bound its value must keep. */
export interface MetricGate {
  name: string;
  query: string;
  max?: number;
  min?: number;
}

/** The gates of one environment, checked before promoting out of it. */
export interface VerificationPolicy {
  requireReady: boolean;
  minSoakTimeMs?: number;
  prometheus?: { baseUrl: string; timeoutMs: number };
  metrics: MetricGate[];
}

const DEFAULT_QUERY_TIMEOUT_MS = 5_000;

/**
 * Reads `verification` of each entry of `modelDeployments.environments`,
 * by environment name. Throws at startup on a mistake, naming the key.
 */
export function readVerificationConfig(
  config: Config,
): Map<string, VerificationPolicy> {
  const policies = new Map<string, VerificationPolicy>();
  const entries =
    config.getOptionalConfigArray('modelDeployments.environments') ?? [];
  entries.forEach((entry, index) => {
    const verification = entry.getOptionalConfig('verification');
    if (!verification) return;
    const key = `modelDeployments.environments[${index}].verification`;
    const prometheus = verification.getOptionalConfig('prometheus');
    const metrics = (verification.getOptionalConfigArray('metrics') ?? []).map(
      (metric, i): MetricGate => {
        const max = metric.getOptionalNumber('max');
        const min = metric.getOptionalNumber('min');
        if (max === undefined && min === undefined) {
          throw new InputError(
            `${key}.metrics[${i}] needs max or min: the bound its value must keep`,
          );
        }
        return {
          name: metric.getString('name'),
          query: metric.getString('query'),
          ...(max !== undefined ? { max } : {}),
          ...(min !== undefined ? { min } : {}),
        };
      },
    );
    if (metrics.length > 0 && !prometheus) {
      throw new InputError(
        `${key}.metrics needs ${key}.prometheus.baseUrl: where to ask`,
      );
    }
    let baseUrl: string | undefined;
    if (prometheus) {
      baseUrl = prometheus.getString('baseUrl').replace(/\/+$/, '');
      if (!/^https?:\/\//.test(baseUrl)) {
        throw new InputError(
          `${key}.prometheus.baseUrl must be an http or https URL`,
        );
      }
    }
    const minSoakTimeMs = optionalDurationMs(verification, 'minSoakTime');
    policies.set(entry.getString('name'), {
      requireReady: verification.getOptionalBoolean('requireReady') ?? true,
      ...(minSoakTimeMs !== undefined ? { minSoakTimeMs } : {}),
      ...(baseUrl
        ? {
            prometheus: {
              baseUrl,
              timeoutMs:
                optionalDurationMs(prometheus!, 'timeout') ??
                DEFAULT_QUERY_TIMEOUT_MS,
            },
          }
        : {}),
      metrics,
    });
  });
  return policies;
}
