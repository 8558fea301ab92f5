import { useApi } from '@backstage/core-plugin-api';
import { PendingApprovalsResponse } from '@seed-mlops/plugin-model-deployments-common';
import { useCallback } from 'react';
import { modelDeploymentsApiRef } from '../../api';
import { PolledData, usePolledData } from '../../hooks/usePolledData';

/**
 * The promotions waiting for approval that the user may see, loaded on
 * mount. It does not poll nor subscribe itself: the fleet page reloads it
 * on the fleet's own tick (see `useFleet`'s `onReload`), so that the page
 * holds one timer and one signal subscription.
 */
export function usePendingApprovals(): PolledData<PendingApprovalsResponse> {
  const api = useApi(modelDeploymentsApiRef);
  const load = useCallback(() => api.getPendingApprovals(), [api]);
  return usePolledData(load, 0);
}
