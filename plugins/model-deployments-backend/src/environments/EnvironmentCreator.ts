import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  EnvironmentCreationRequest,
  EnvironmentCreationResult,
  EnvironmentNamespaceLabels,
  KubernetesObject,
  SeldonNamespaceLabels,
} from '@seed-mlops/plugin-model-deployments-common';
import { createHash } from 'crypto';
import { ClusterClient } from '../cluster/ClusterClient';
import { GitOpsService } from '../gitops/GitOpsService';
import { CommitIdentity } from '../gitops/GitWriter';
import { assertDnsLabel } from '../promotion/manifests';
import { openPullRequest } from '../promotion/pullRequests';
import { EnvironmentRegistry } from './EnvironmentRegistry';

const OWNERS_BINDING = 'model-deployments-owners';
const SAFE_BRANCH = /^(?!.*\.\.)[A-Za-z0-9._/-]{1,200}$/;

function checkedFolder(path: string): string {
  const folder = path.replace(/^\/+|\/+$/g, '');
  const segments = folder.split('/');
  if (
    !folder ||
    segments.some(s => !s || s === '.' || s === '..' || s === '.git')
  ) {
    throw new InputError(
      `gitops.path: '${path}' is not a folder inside the repository`,
    );
  }
  return folder;
}

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
    },
  ) {}

  private validate(request: EnvironmentCreationRequest) {
    assertDnsLabel('name', request.name);
    const namespace = request.namespace ?? request.name;
    assertDnsLabel('namespace', namespace);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/.test(request.cluster)) {
      throw new InputError(
        `cluster: '${request.cluster}' is not a cluster name from the kubernetes config`,
      );
    }
    if (
      !Number.isInteger(request.stage) ||
      request.stage < 0 ||
      request.stage > 100_000
    ) {
      throw new InputError(
        `stage: expected a whole number from 0 to 100000, got ${request.stage}`,
      );
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
    }
    const groups = (request.ownerGroups ?? []).map(ref => {
      try {
        return parseEntityRef(ref, { defaultKind: 'group' });
      } catch (e) {
        throw new InputError(
          `ownerGroups: '${ref}' is not a group ref (${(e as Error).message})`,
        );
      }
    });
    if (groups.some(g => g.kind.toLocaleLowerCase('en-US') !== 'group')) {
      throw new InputError('ownerGroups: every owner must be a group');
    }
    const gitops = request.gitops;
    if (gitops) {
      let url: URL;
      try {
        url = new URL(gitops.repoUrl);
      } catch {
        throw new InputError(
          `gitops.repoUrl: '${gitops.repoUrl}' is not a URL`,
        );
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new InputError('gitops.repoUrl: only http(s) URLs are supported');
      }
      if (gitops.branch !== undefined && !SAFE_BRANCH.test(gitops.branch)) {
        throw new InputError(
          `gitops.branch: '${gitops.branch}' is not a branch name`,
        );
      }
    }
    const folder = gitops ? checkedFolder(gitops.path ?? namespace) : '';
    return { namespace, groups, folder };
  }

  async create(
    request: EnvironmentCreationRequest,
  ): Promise<EnvironmentCreationResult> {
    const { namespace, groups, folder } = this.validate(request);
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
          subjects: groups.map(group => ({
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'Group',
            name: group.name,
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
    const base = gitops?.branch ?? 'main';
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
