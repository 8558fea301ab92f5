import { useApi } from '@backstage/core-plugin-api';
import {
  FleetResponse,
  MODEL_DEPLOYMENTS_FLEET_CHANNEL,
  ModelDeploymentsChange,
} from '@seed-mlops/plugin-model-deployments-common';
import { useCallback, useRef } from 'react';
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
 * 0 disables it). `onReload` is called as each load after the first starts
 * (poll, signal or refresh), for what the page reloads along with the fleet.
 */
export function useFleet(
  refreshIntervalMs?: number,
  onReload?: () => void,
): LiveData<FleetResponse> {
  const api = useApi(modelDeploymentsApiRef);
  const intervalMs = useRefreshInterval(refreshIntervalMs);
  // Read through a ref: a new callback must not make a new `load`, which reloads.
  const onReloadRef = useRef(onReload);
  onReloadRef.current = onReload;
  const loads = useRef(0);
  const load = useCallback(() => {
    if (loads.current > 0) onReloadRef.current?.();
    loads.current += 1;
    return api.getFleet();
  }, [api]);
  return useLiveData({
    load,
    channel: MODEL_DEPLOYMENTS_FLEET_CHANNEL,
    changes: FLEET_CHANGES,
    intervalMs,
  });
}
