import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { isGroupEntity, parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  EnvironmentCreationRequest,
  EnvironmentCreationResult,
  EnvironmentNamespaceLabels,
  KubernetesObject,
  SeldonNamespaceLabels,
  gitopsTargetsOverlap,
  quoteValue,
} from '@seed-mlops/plugin-model-deployments-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createHash } from 'crypto';
import { ClusterClient } from '../cluster/ClusterClient';
import { GitOpsService } from '../gitops/GitOpsService';
import { CommitIdentity } from '../gitops/GitWriter';
import { GitHostAllowList } from '../gitops/GitHostAllowList';
import { openPullRequest } from '../promotion/pullRequests';
import { EnvironmentRegistry } from './EnvironmentRegistry';

const OWNERS_BINDING = 'model-deployments-owners';

function readme(request: EnvironmentCreationRequest, namespace: string) {
  return `# ${request.title ?? request.name}

The desired state of the \`${request.name}\` environment: namespace
\`${namespace}\` on cluster \`${request.cluster}\`, stage ${request.stage}${
    request.restricted ? ', restricted' : ''
  }.

The sync tool applies the manifests in this folder to the namespace.
Promotions from the previous stage write \`<Kind>-<name>.json|yaml\` files
here. Created by the model-deployments plugin of Backstage.
`;
}

/**
 * Creates an environment: its namespace with the labels and annotations that
 * discovery reads, a RoleBinding for its owner groups, and its GitOps folder
 * with a README. Everything is checked before anything is written; an
 * existing namespace with the same labels is adopted, a conflicting one is
 * refused. Running it again completes what a failed run left out.
 */
export class EnvironmentCreator {
  constructor(
    private readonly deps: {
      client: ClusterClient;
      environments: EnvironmentRegistry;
      gitops: GitOpsService;
      committer: CommitIdentity;
      integrations?: ScmIntegrationRegistry;
      allowList: GitHostAllowList;
      catalog: CatalogService;
    },
  ) {}

  /**
   * The checks that need the running system: the request's form was checked
   * by `environmentCreationRequestSchema` before it got here.
   */
  private async validate(
    request: EnvironmentCreationRequest,
    credentials: BackstageCredentials,
  ) {
    const namespace = request.namespace ?? request.name;
    const gitops = request.gitops;
    const folder = gitops ? gitops.path ?? namespace : '';
    const target = gitops ? { ...gitops, path: folder } : undefined;
    if (gitops) {
      this.deps.allowList.assertAllowed('gitops.repoUrl', gitops.repoUrl);
    }
    for (const existing of this.deps.environments.list()) {
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
    const groups = await this.ownerGroups(
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
  private async ownerGroups(
    refs: string[],
    credentials: BackstageCredentials,
  ): Promise<string[]> {
    const names = new Set<string>();
    for (const [index, value] of refs.entries()) {
      const ref = parseEntityRef(value, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      });
      const entity = await this.deps.catalog.getEntityByRef(ref, {
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

  async create(
    request: EnvironmentCreationRequest,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentCreationResult> {
    const { namespace, groups, folder } = await this.validate(
      request,
      credentials,
    );
    const { client } = this.deps;
    const gitops = request.gitops;
    const labels: Record<string, string> = {
      [SeldonNamespaceLabels.restricted]: String(request.restricted ?? false),
      [EnvironmentNamespaceLabels.name]: request.name,
      [EnvironmentNamespaceLabels.stage]: String(request.stage),
      ...(gitops ? { [SeldonNamespaceLabels.gitops]: 'enabled' } : {}),
    };
    const annotations: Record<string, string> = {
      ...(request.title
        ? { [EnvironmentNamespaceLabels.titleAnnotation]: request.title }
        : {}),
      ...(gitops
        ? {
            [SeldonNamespaceLabels.gitRepoAnnotation]: gitops.repoUrl,
            [EnvironmentNamespaceLabels.gitPathAnnotation]: folder,
            ...(gitops.branch
              ? {
                  [EnvironmentNamespaceLabels.gitBranchAnnotation]:
                    gitops.branch,
                }
              : {}),
          }
        : {}),
    };
    const namespaceObject: KubernetesObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels, annotations },
    };
    const existing = await client.get(
      request.cluster,
      `/api/v1/namespaces/${namespace}`,
    );
    if (existing) {
      const wanted = {
        ...labels,
        ...annotations,
      };
      const found = {
        ...(existing.metadata?.labels ?? {}),
        ...((existing.metadata as any)?.annotations ?? {}),
      } as Record<string, string>;
      const conflicts = Object.keys(wanted).filter(
        key => found[key] !== wanted[key],
      );
      if (conflicts.length > 0) {
        throw new InputError(
          `namespace: '${namespace}' already exists on cluster '${
            request.cluster
          }' with other labels or annotations (${conflicts
            .map(key => `${key}=${found[key] ?? '(none)'}`)
            .join(', ')}); pick another namespace or label it yourself`,
        );
      }
    }
    const bindingObject: KubernetesObject | undefined = groups.length
      ? ({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: OWNERS_BINDING, namespace },
          roleRef: {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'ClusterRole',
            name: 'edit',
          },
          subjects: groups.map(name => ({
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'Group',
            name,
          })),
        } as KubernetesObject)
      : undefined;
    const bindingPath = `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`;
    const existingBinding =
      bindingObject && existing
        ? await client.get(request.cluster, `${bindingPath}/${OWNERS_BINDING}`)
        : undefined;

    const readmePath = `${folder}/README.md`;
    const writer = gitops ? this.deps.gitops.writerFor(gitops) : undefined;
    const base =
      gitops?.branch ?? (writer ? await writer.defaultBranch() : 'main');
    const readmeExists = writer
      ? await writer.read(
          base,
          async head => (await writer.readFile(head, readmePath)) !== undefined,
        )
      : true;

    const objects: EnvironmentCreationResult['objects'] = [
      {
        action: existing ? 'exists' : 'create',
        object: (existing ?? namespaceObject) as any,
      },
      ...(bindingObject
        ? [
            {
              action: existingBinding
                ? ('exists' as const)
                : ('create' as const),
              object: (existingBinding ?? bindingObject) as any,
            },
          ]
        : []),
    ];
    const files =
      gitops && !readmeExists
        ? [{ path: readmePath, change: 'create' as const }]
        : [];
    const nothingToDo =
      objects.every(o => o.action === 'exists') && files.length === 0;
    if (request.dryRun || nothingToDo) {
      return {
        status: nothingToDo ? 'up-to-date' : 'dry-run',
        message: nothingToDo
          ? `Environment ${request.name} already has its namespace${
              gitops ? ' and GitOps folder' : ''
            }`
          : `Would create environment ${request.name}`,
        objects,
        files,
      };
    }

    // Git first: if it fails, nothing was created in the cluster.
    let git: Partial<EnvironmentCreationResult> = {};
    if (writer && gitops && files.length > 0) {
      const strategy = request.strategy ?? 'commit';
      const content = readme(request, namespace);
      const written = await writer.write({
        base,
        author: this.deps.committer,
        plan: async head =>
          (await writer.readFile(head, readmePath)) !== undefined
            ? { kind: 'none' }
            : {
                kind: 'write',
                files: [{ path: readmePath, content }],
                message: JSON.stringify({
                  Action: 'Environment created',
                  Message: `Add the GitOps folder of ${request.name}`,
                  Author: this.deps.committer.name,
                  Email: this.deps.committer.email,
                }),
                ...(strategy === 'pull-request'
                  ? {
                      branch: `model-deployments/create-environment-${
                        request.name
                      }-${createHash('sha256')
                        .update(content)
                        .digest('hex')
                        .slice(0, 8)}`,
                    }
                  : {}),
              },
      });
      if (written.commit) {
        const url = this.deps.gitops.commitUrl(gitops, written.commit);
        git = {
          commit: { sha: written.commit, ...(url ? { url } : {}) },
          branch: written.branch,
        };
        if (strategy === 'pull-request') {
          const pullRequest = await openPullRequest(this.deps.integrations, {
            repoUrl: gitops.repoUrl,
            head: written.branch,
            base,
            title: `Add the GitOps folder of environment ${request.name}`,
            body: `Creates \`${folder}\` for environment ${request.name} (namespace ${namespace} on ${request.cluster}).`,
          });
          if (pullRequest) git.pullRequest = pullRequest;
        }
      }
    }
    if (!existing) {
      await client.create(
        request.cluster,
        '/api/v1/namespaces',
        namespaceObject,
      );
    }
    if (bindingObject && !existingBinding) {
      await client.create(request.cluster, bindingPath, bindingObject);
    }
    return {
      status: 'created',
      message: `Created environment ${
        request.name
      }: namespace ${namespace} on ${request.cluster}${
        gitops ? `, GitOps folder ${folder}` : ''
      }`,
      objects,
      files,
      ...git,
    };
  }
}
