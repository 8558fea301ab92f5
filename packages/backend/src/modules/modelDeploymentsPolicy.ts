/*
 * The example portal's permission policy. For the model-deployments suite
 * it says, per environment:
 *
 *   - everyone reads dev and staging (every environment that is not
 *     restricted); only the model's owners read production (restricted);
 *   - only members of release-managers promote into production; everyone
 *     else promotes into the unrestricted environments;
 *   - only release managers force a promotion (skip the Ready and in-sync
 *     checks);
 *   - only platform admins create environments.
 *
 * Everyone the policy is asked about is denied the Kubernetes plugin's proxy
 * (kubernetes.proxy) and its resource routes (kubernetes.resources.read).
 * Both reach every namespace of every cluster with the backend's
 * service-account token, and the installed Kubernetes backend has no
 * conditional rules by cluster or namespace, so a user allowed them would
 * read production and create namespaces (a namespace labelled
 * seldon.restricted becomes an environment) around the rules above. The
 * model-deployments backend keeps reaching the clusters through the proxy:
 * it calls it as itself, with its own service credentials, and Backstage's
 * permissions service allows a plugin acting as itself without asking the
 * policy. kubernetes.clusters.read (cluster names and titles) stays allowed.
 *
 * Everything else (catalog, scaffolder, ...) is allowed, as the allow-all
 * policy did. Copy it and change the groups to suit.
 */

import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  kubernetesProxyPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  MODEL_DEPLOYMENTS_ENVIRONMENT_RESOURCE_TYPE,
  modelDeploymentsEnvironmentCreatePermission,
  modelDeploymentsForcePromotePermission,
  modelDeploymentsPromotePermission,
  modelDeploymentsReadPermission,
} from '@seed-mlops/plugin-model-deployments-common';
import {
  createModelDeploymentsConditionalDecision,
  modelDeploymentsConditions,
} from '@seed-mlops/plugin-model-deployments-node';

/** Members promote into restricted environments and may force. */
export const RELEASE_MANAGERS = 'group:default/release-managers';
/** Members create environments. */
export const PLATFORM_ADMINS = 'group:default/platform-admins';

const allow: PolicyDecision = { result: AuthorizeResult.ALLOW };
const deny: PolicyDecision = { result: AuthorizeResult.DENY };

/** The policy described at the top of this file. */
export class ModelDeploymentsExamplePolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    const { permission } = request;

    if (
      isPermission(permission, kubernetesProxyPermission) ||
      isPermission(permission, kubernetesResourcesReadPermission)
    ) {
      // All or nothing: no rules by cluster or namespace exist for these.
      // Plugins acting as themselves never get here; anyone who does is denied.
      return deny;
    }
    if (isPermission(permission, modelDeploymentsEnvironmentCreatePermission)) {
      return claims.includes(PLATFORM_ADMINS) ? allow : deny;
    }
    if (
      !isResourcePermission(
        permission,
        MODEL_DEPLOYMENTS_ENVIRONMENT_RESOURCE_TYPE,
      )
    ) {
      return allow;
    }
    const { isRestricted, isModelOwner } = modelDeploymentsConditions;
    if (isPermission(permission, modelDeploymentsReadPermission)) {
      return createModelDeploymentsConditionalDecision(permission, {
        anyOf: [{ not: isRestricted() }, isModelOwner({ claims })],
      });
    }
    const releaseManager = claims.includes(RELEASE_MANAGERS);
    if (isPermission(permission, modelDeploymentsPromotePermission)) {
      return releaseManager
        ? allow
        : createModelDeploymentsConditionalDecision(permission, {
            not: isRestricted(),
          });
    }
    if (isPermission(permission, modelDeploymentsForcePromotePermission)) {
      return releaseManager ? allow : deny;
    }
    // A permission of this resource type added later: refuse until decided.
    return deny;
  }
}

/** Installs {@link ModelDeploymentsExamplePolicy} in the permission backend. */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'model-deployments-example-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new ModelDeploymentsExamplePolicy());
      },
    });
  },
});
