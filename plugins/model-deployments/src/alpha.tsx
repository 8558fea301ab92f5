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
import {
  createFormField,
  FormFieldBlueprint,
} from '@backstage/plugin-scaffolder-react/alpha';
import StorageIcon from '@material-ui/icons/Storage';
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
    // A tab of its own, not a member of the catalog's "Deployment" group.
    title: 'Deployments',
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
    // With a title and an icon the page gets a sidebar item.
    icon: <StorageIcon />,
    routeRef: modelDeploymentsRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/ModelDeploymentsPage').then(m => (
        <m.ModelDeploymentsPage />
      )),
  },
});

/**
 * Scaffolder field `ModelEnvironmentPicker`: one of the environments, in
 * pipeline order, as the backend knows them. The "Promote a model"
 * template's environment fields use it.
 *
 * @alpha
 */
export const modelEnvironmentPickerFormField = FormFieldBlueprint.make({
  name: 'model-environment-picker',
  params: {
    field: () =>
      import('./components/ModelEnvironmentPicker').then(m =>
        createFormField({
          name: 'ModelEnvironmentPicker',
          component: m.ModelEnvironmentPicker,
        }),
      ),
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
    modelEnvironmentPickerFormField,
  ],
});
