import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ModelDeploymentsChange,
  modelDeploymentsEntityChannel,
} from '@seed-mlops/plugin-model-deployments-common';
import { useCallback, useMemo } from 'react';
import { modelDeploymentsApiRef } from '../api';
import { useLiveData } from './useLiveData';
import { useRefreshInterval } from './useRefreshInterval';

/** What the deployments of an entity depend on: the cluster and Git. */
const DEPLOYMENT_CHANGES: readonly ModelDeploymentsChange[] = [
  'deployments',
  'git',
];

/**
 * The current entity's deployments in every environment, kept current by the
 * entity's signals, else polled at the configured interval. Shared by the
 * entity tab and the overview card.
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
  const data = useLiveData({
    load,
    channel: modelDeploymentsEntityChannel(entityRef),
    changes: DEPLOYMENT_CHANGES,
    intervalMs,
  });
  return { ...data, intervalMs };
}
