import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createEnvironmentAction } from './actions/createEnvironment';
import { createPromoteModelAction } from './actions/promote';
import { ModelDeploymentsApiClient } from './ModelDeploymentsApiClient';

/**
 * Adds the model-deployments actions to the scaffolder.
 *
 * @public
 */
export const scaffolderModuleModelDeployments = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'model-deployments',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, discovery, auth }) {
        const client = new ModelDeploymentsApiClient({ discovery, auth });
        scaffolder.addActions(
          createPromoteModelAction({ client }),
          createEnvironmentAction({ client }),
        );
      },
    });
  },
});
