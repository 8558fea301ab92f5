import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { isGroupEntity, parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EnvironmentCreationRequest,
  gitopsTargetsOverlap,
  quoteValue,
} from '@seed-mlops/plugin-model-deployments-common';
import { GitHostAllowList } from '../gitops/GitHostAllowList';
import { EnvironmentRegistry } from './EnvironmentRegistry';

interface EnvironmentRequestDeps {
  environments: EnvironmentRegistry;
  allowList: GitHostAllowList;
  catalog: CatalogService;
}

/**
 * The checks that need the running system: the request's form was checked
 * by `environmentCreationRequestSchema` before it got here.
 */
export async function checkEnvironmentRequest(
  deps: EnvironmentRequestDeps,
  request: EnvironmentCreationRequest,
  credentials: BackstageCredentials,
) {
  const namespace = request.namespace ?? request.name;
  const gitops = request.gitops;
  const folder = gitops ? gitops.path ?? namespace : '';
  const target = gitops ? { ...gitops, path: folder } : undefined;
  if (gitops) {
    deps.allowList.assertAllowed('gitops.repoUrl', gitops.repoUrl);
  }
  for (const existing of deps.environments.list()) {
    if (existing.name === request.name) {
      throw new InputError(
        `name: environment '${request.name}' already exists`,
      );
    }
    if (
      existing.cluster === request.cluster &&
      existing.namespace === namespace
    ) {
      throw new InputError(
        `namespace: '${namespace}' on cluster '${request.cluster}' is already environment '${existing.name}'`,
      );
    }
    if (
      target &&
      existing.gitops &&
      gitopsTargetsOverlap(existing.gitops, target)
    ) {
      throw new InputError(
        `gitops.path: '${folder}' is the GitOps folder of environment '${existing.name}', or inside or around it; each environment needs a folder of its own`,
      );
    }
  }
  const groups = await ownerGroups(
    deps.catalog,
    request.ownerGroups ?? [],
    credentials,
  );
  return { namespace, groups, folder };
}

/**
 * The owner groups as catalog Group entities. The RoleBinding's subjects
 * are the names of the entities found, never the strings sent, so nothing
 * but an existing group (no `system:` group of Kubernetes) gets `edit`.
 */
async function ownerGroups(
  catalog: CatalogService,
  refs: string[],
  credentials: BackstageCredentials,
): Promise<string[]> {
  const names = new Set<string>();
  for (const [index, value] of refs.entries()) {
    const ref = parseEntityRef(value, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    const entity = await catalog.getEntityByRef(ref, {
      credentials,
    });
    if (!entity || !isGroupEntity(entity)) {
      throw new InputError(
        `ownerGroups[${index}]: ${quoteValue(
          value,
        )} is not a Group in the catalog`,
      );
    }
    names.add(entity.metadata.name);
  }
  return [...names];
}
