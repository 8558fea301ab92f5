import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useCallback, useMemo } from 'react';
import { modelDeploymentsApiRef } from '../api';
import { usePolledData } from './usePolledData';
import { useRefreshInterval } from './useRefreshInterval';

/**
 * The current entity's deployments in every environment, polled at the
 * configured interval. Shared by the entity tab and the overview card.
 */
export function useEntityDeployments(refreshIntervalMs?: number) {
  const { entity } = useEntity();
  const api = useApi(modelDeploymentsApiRef);
  const intervalMs = useRefreshInterval(refreshIntervalMs);
  const entityRef = useMemo(() => stringifyEntityRef(entity), [entity]);
  const load = useCallback(
    () => api.getEntityDeployments(entityRef),
    [api, entityRef],
  );
  return { ...usePolledData(load, intervalMs), intervalMs };
}
