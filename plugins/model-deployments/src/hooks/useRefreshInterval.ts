import { configApiRef, useApi } from '@backstage/core-plugin-api';

/** Default auto-refresh interval when neither a prop nor config sets one. */
export const DEFAULT_REFRESH_INTERVAL_SECONDS = 30;

/**
 * The auto-refresh interval in milliseconds: the prop when given, else
 * `modelDeployments.ui.refreshIntervalSeconds`, else 30 seconds. 0 disables.
 */
export function useRefreshInterval(refreshIntervalMs?: number): number {
  const configApi = useApi(configApiRef);
  if (refreshIntervalMs !== undefined) {
    return Math.max(0, refreshIntervalMs);
  }
  const seconds =
    configApi.getOptionalNumber('modelDeployments.ui.refreshIntervalSeconds') ??
    DEFAULT_REFRESH_INTERVAL_SECONDS;
  return Math.max(0, seconds * 1000);
}
