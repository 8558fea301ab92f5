import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * Route of the fleet page.
 *
 * @public
 */
export const rootRouteRef = createRouteRef({
  id: 'model-deployments',
});
