import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createEnvironmentAction } from './actions/createEnvironment';
import { createPromoteModelAction } from './actions/promote';
import { createRollbackModelAction } from './actions/rollback';
import { modelDeploymentsApiServiceRef } from '@seed-mlops/plugin-model-deployments-node';

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
        client: modelDeploymentsApiServiceRef,
      },
      async init({ scaffolder, client }) {
        scaffolder.addActions(
          createPromoteModelAction({ client }),
          createRollbackModelAction({ client }),
          createEnvironmentAction({ client }),
        );
      },
    });
  },
});
