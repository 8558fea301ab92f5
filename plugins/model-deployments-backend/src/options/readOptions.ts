import { RootConfigService } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import os from 'os';
import path from 'path';

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_REQUEST_CACHE_TTL_MS = 10_000;
/** How long one watch stays open (client-go picks 5 to 10 minutes; proxies often cut sooner). */
const DEFAULT_WATCH_TIMEOUT_MS = 240_000;
const DEFAULT_FETCH_TIMEOUT_MS = 60_000;
const DEFAULT_REFRESH_INTERVAL_MS = 60_000;
const DEFAULT_PULL_REQUEST_CHECK_INTERVAL_MS = 5 * 60_000;

/** The `modelDeployments` config section, read once with its defaults (see config.d.ts). */
export interface ModelDeploymentsOptions {
  clusterRequestTimeoutMs: number;
  /** How long read views reuse a caller's catalog answers and permission decisions. */
  requestCacheTtlMs: number;
  clusterWatchTimeoutMs: number;
  discovery?: { clusters: string[] };
  gitops: {
    cacheDir: string;
    historyDepth: number;
    fetchTimeoutMs: number;
    refreshIntervalMs: number;
  };
  promotion: {
    /** After this long a `running` record can only be a stopped replica's. */
    staleAfterMs: number;
    /** How often the pull requests promotions opened are looked at. */
    pullRequestCheckIntervalMs: number;
    /** How often promotions that turned Failed are looked for. */
    autoRollbackCheckIntervalMs: number;
    /** How often promotions whose approval ran out of time are ended. */
    approvalCheckIntervalMs: number;
    allowSkippingStages: boolean;
    clusterDryRun: boolean;
    committer: { name: string; email: string };
  };
}

/** A duration key (`{ minutes: 5 }` or an ISO string) in ms; undefined when unset. */
export function optionalDurationMs(
  config: Config | undefined,
  key: string,
): number | undefined {
  return config?.has(key)
    ? durationToMilliseconds(readDurationFromConfig(config, { key }))
    : undefined;
}

function durationMs(
  config: Config | undefined,
  key: string,
  fallbackMs: number,
): number {
  return optionalDurationMs(config, key) ?? fallbackMs;
}

export function readModelDeploymentsOptions(
  config: RootConfigService,
): ModelDeploymentsOptions {
  const section = config.getOptionalConfig('modelDeployments');
  const gitops = section?.getOptionalConfig('gitops');
  const promotion = section?.getOptionalConfig('promotion');
  const discovery = section?.getOptionalConfig('discovery');
  const fetchTimeoutMs = durationMs(
    gitops,
    'fetchTimeout',
    DEFAULT_FETCH_TIMEOUT_MS,
  );
  return {
    requestCacheTtlMs: durationMs(
      section,
      'requestCacheTtl',
      DEFAULT_REQUEST_CACHE_TTL_MS,
    ),
    clusterRequestTimeoutMs: durationMs(
      section,
      'clusterRequestTimeout',
      DEFAULT_TIMEOUT_MS,
    ),
    clusterWatchTimeoutMs: durationMs(
      section,
      'clusterWatchTimeout',
      DEFAULT_WATCH_TIMEOUT_MS,
    ),
    ...(discovery?.getOptionalBoolean('enabled')
      ? { discovery: { clusters: discovery.getStringArray('clusters') } }
      : {}),
    gitops: {
      cacheDir:
        gitops?.getOptionalString('cacheDir') ??
        path.join(
          config.getOptionalString('backend.workingDirectory') ?? os.tmpdir(),
          'model-deployments-gitops',
        ),
      historyDepth: gitops?.getOptionalNumber('historyDepth') ?? 100,
      fetchTimeoutMs,
      refreshIntervalMs: durationMs(
        gitops,
        'refreshInterval',
        DEFAULT_REFRESH_INTERVAL_MS,
      ),
    },
    promotion: {
      // Longer than any promotion can take (its Git waits are bounded by
      // fetchTimeout), so only records of stopped replicas are settled.
      staleAfterMs: durationMs(promotion, 'staleAfter', 15 * fetchTimeoutMs),
      pullRequestCheckIntervalMs: durationMs(
        promotion,
        'pullRequestCheckInterval',
        DEFAULT_PULL_REQUEST_CHECK_INTERVAL_MS,
      ),
      autoRollbackCheckIntervalMs: durationMs(
        promotion,
        'autoRollbackCheckInterval',
        30_000,
      ),
      approvalCheckIntervalMs: durationMs(
        promotion,
        'approvalCheckInterval',
        60_000,
      ),
      allowSkippingStages:
        promotion?.getOptionalBoolean('allowSkippingStages') ?? false,
      clusterDryRun: promotion?.getOptionalBoolean('clusterDryRun') ?? true,
      // Writes to GitOps repositories commit as this identity.
      committer: {
        name: promotion?.getOptionalString('committer.name') ?? 'Backstage',
        email:
          promotion?.getOptionalString('committer.email') ??
          'backstage@localhost',
      },
    },
  };
}
