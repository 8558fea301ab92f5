import { useApi } from '@backstage/core-plugin-api';
import {
  FleetResponse,
  MODEL_DEPLOYMENTS_FLEET_CHANNEL,
  ModelDeploymentsChange,
} from '@seed-mlops/plugin-model-deployments-common';
import { useCallback } from 'react';
import { modelDeploymentsApiRef } from '../../api';
import { LiveData, useLiveData } from '../../hooks/useLiveData';
import { useRefreshInterval } from '../../hooks/useRefreshInterval';

/** The fleet shows deployments, their Git state and promotions' effects. */
const FLEET_CHANGES: readonly ModelDeploymentsChange[] = [
  'deployments',
  'git',
  'promotions',
];

/**
 * The fleet, loaded and then refreshed in place when the fleet's signals say
 * it changed, else every `refreshIntervalMs` (else the configured interval;
 * 0 disables it).
 */
export function useFleet(refreshIntervalMs?: number): LiveData<FleetResponse> {
  const api = useApi(modelDeploymentsApiRef);
  const intervalMs = useRefreshInterval(refreshIntervalMs);
  const load = useCallback(() => api.getFleet(), [api]);
  return useLiveData({
    load,
    channel: MODEL_DEPLOYMENTS_FLEET_CHANNEL,
    changes: FLEET_CHANGES,
    intervalMs,
  });
}
