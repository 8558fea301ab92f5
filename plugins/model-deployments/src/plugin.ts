import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { ModelDeploymentsClient, modelDeploymentsApiRef } from './api';
import { ModelEnvironmentPicker } from './components/ModelEnvironmentPicker';
import { rootRouteRef } from './routes';
import type { EntityModelDeploymentsCardProps } from './components/EntityModelDeploymentsCard';
import type { EntityModelDeploymentsContentProps } from './components/EntityModelDeploymentsContent';
import type { ModelDeploymentsPageProps } from './components/ModelDeploymentsPage';

/**
 * The model-deployments frontend plugin (legacy frontend system).
 *
 * @public
 */
export const modelDeploymentsPlugin = createPlugin({
  id: 'model-deployments',
  apis: [
    createApiFactory({
      api: modelDeploymentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ModelDeploymentsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
});

/**
 * Entity tab: the entity's deployments, one column per environment.
 *
 * @public
 */
export const EntityModelDeploymentsContent: (
  props: EntityModelDeploymentsContentProps,
) => JSX.Element | null = modelDeploymentsPlugin.provide(
  createComponentExtension({
    name: 'EntityModelDeploymentsContent',
    component: {
      lazy: () =>
        import('./components/EntityModelDeploymentsContent').then(
          m => m.EntityModelDeploymentsContent,
        ),
    },
  }),
);

/**
 * Overview card: status and version of the entity per environment.
 *
 * @public
 */
export const EntityModelDeploymentsCard: (
  props: EntityModelDeploymentsCardProps,
) => JSX.Element | null = modelDeploymentsPlugin.provide(
  createComponentExtension({
    name: 'EntityModelDeploymentsCard',
    component: {
      lazy: () =>
        import('./components/EntityModelDeploymentsCard').then(
          m => m.EntityModelDeploymentsCard,
        ),
    },
  }),
);

/**
 * Fleet page: every model in every environment.
 *
 * @public
 */
export const ModelDeploymentsPage: (
  props: ModelDeploymentsPageProps,
) => JSX.Element = modelDeploymentsPlugin.provide(
  createRoutableExtension({
    name: 'ModelDeploymentsPage',
    component: () =>
      import('./components/ModelDeploymentsPage').then(
        m => m.ModelDeploymentsPage,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * Scaffolder field `ModelEnvironmentPicker`: one of the environments, in
 * pipeline order, as known to the backend. Used by the "Promote a model"
 * template.
 *
 * @public
 */
export const ModelEnvironmentPickerFieldExtension =
  modelDeploymentsPlugin.provide(
    createScaffolderFieldExtension({
      name: 'ModelEnvironmentPicker',
      component: ModelEnvironmentPicker,
    }),
  );
