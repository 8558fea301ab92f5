import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { ModelDeploymentsClient, modelDeploymentsApiRef } from './api';
import { isModelDeploymentsAvailable } from './conditions';

/**
 * Route of the fleet page in the new frontend system.
 *
 * @alpha
 */
export const modelDeploymentsRouteRef = createRouteRef();

/**
 * The model-deployments API, backed by the model-deployments backend.
 *
 * @alpha
 */
export const modelDeploymentsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: modelDeploymentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ModelDeploymentsClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * Entity tab with the entity's deployments, one column per environment.
 *
 * @alpha
 */
export const entityModelDeploymentsContent = EntityContentBlueprint.make({
  name: 'model-deployments',
  params: {
    path: 'model-deployments',
    title: 'Deployments',
    group: 'deployment',
    filter: isModelDeploymentsAvailable,
    loader: () =>
      import('./components/EntityModelDeploymentsContent').then(m => (
        <m.EntityModelDeploymentsContent />
      )),
  },
});

/**
 * Overview card with the status and version per environment.
 *
 * @alpha
 */
export const entityModelDeploymentsCard = EntityCardBlueprint.make({
  name: 'model-deployments',
  params: {
    filter: isModelDeploymentsAvailable,
    loader: () =>
      import('./components/EntityModelDeploymentsCard').then(m => (
        <m.EntityModelDeploymentsCard />
      )),
  },
});

/**
 * Fleet page: every model in every environment.
 *
 * @alpha
 */
export const modelDeploymentsPage = PageBlueprint.make({
  params: {
    path: '/model-deployments',
    title: 'Model deployments',
    routeRef: modelDeploymentsRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/ModelDeploymentsPage').then(m => (
        <m.ModelDeploymentsPage />
      )),
  },
});

/**
 * The model-deployments plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'model-deployments',
  routes: {
    root: modelDeploymentsRouteRef,
  },
  extensions: [
    modelDeploymentsApi,
    entityModelDeploymentsContent,
    entityModelDeploymentsCard,
    modelDeploymentsPage,
  ],
});
