import {
  AuthService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  modelDeploymentsEnvironmentCreatePermission,
  modelDeploymentsForcePromotePermission,
  modelDeploymentsPromotePermission,
  modelDeploymentsReadPermission,
} from '@seed-mlops/plugin-model-deployments-common';
import {
  modelEnvironmentPermissionResourceRef,
  modelEnvironmentPermissionRules,
} from '@seed-mlops/plugin-model-deployments-node';
import { EnvironmentRegistry } from '../environments/EnvironmentRegistry';
import { EnvironmentAccess } from './EnvironmentAccess';
import { environmentResourceLoader } from './environmentResourceLoader';

/**
 * Registers the plugin's permissions. Policies decide per environment, and
 * per model in it, with the rules of the node package; the permission
 * backend asks us to apply them to resources named by
 * `modelEnvironmentPermissionResourceRef`.
 */
export function registerPermissions(deps: {
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  environments: EnvironmentRegistry;
  catalog: CatalogService;
  auth: AuthService;
  /** How long a caller's read decisions are reused. */
  readDecisionTtlMs: number;
}): EnvironmentAccess {
  const { permissionsRegistry } = deps;
  permissionsRegistry.addResourceType({
    resourceRef: modelEnvironmentPermissionResourceRef,
    permissions: [
      modelDeploymentsReadPermission,
      modelDeploymentsPromotePermission,
      modelDeploymentsForcePromotePermission,
    ],
    rules: Object.values(modelEnvironmentPermissionRules),
    getResources: environmentResourceLoader(deps),
  });
  permissionsRegistry.addPermissions([
    modelDeploymentsEnvironmentCreatePermission,
  ]);
  return new EnvironmentAccess(
    deps.permissions,
    permissionsRegistry.getPermissionRuleset(
      modelEnvironmentPermissionResourceRef,
    ),
    { readDecisionTtlMs: deps.readDecisionTtlMs },
  );
}
