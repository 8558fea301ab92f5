import { useApi } from '@backstage/core-plugin-api';
import { FleetResponse } from '@seed-mlops/plugin-model-deployments-common';
import { useCallback } from 'react';
import { modelDeploymentsApiRef } from '../../api';
import { PolledData, usePolledData } from '../../hooks/usePolledData';
import { useRefreshInterval } from '../../hooks/useRefreshInterval';

/**
 * The fleet, loaded and then refreshed in place every `refreshIntervalMs`
 * (else the configured interval; 0 disables it).
 */
export function useFleet(
  refreshIntervalMs?: number,
): PolledData<FleetResponse> {
  const api = useApi(modelDeploymentsApiRef);
  const intervalMs = useRefreshInterval(refreshIntervalMs);
  const load = useCallback(() => api.getFleet(), [api]);
  return usePolledData(load, intervalMs);
}
