import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  EnvironmentCreationRequest,
  EnvironmentCreationResult,
  KubernetesObject,
} from '@seed-mlops/plugin-model-deployments-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterRequestError,
  ModelClusterClient,
  ModelEnvironmentCreationService,
} from '@seed-mlops/plugin-model-deployments-node';
import { ModelDeploymentsEvents } from '../events/ModelDeploymentsEvents';
import { GitOpsService } from '../gitops/GitOpsService';
import { CommitIdentity } from '../gitops/GitWriter';
import { GitHostAllowList } from '../gitops/GitHostAllowList';
import { EnvironmentRegistry } from './EnvironmentRegistry';
import { checkEnvironmentRequest } from './checkEnvironmentRequest';
import { writeEnvironmentFolder } from './environmentFolder';
import {
  OWNERS_BINDING,
  environmentNamespace,
  metadataConflicts,
  ownersBinding,
} from './environmentObjects';

/**
 * Creates an environment: its namespace with the labels and annotations that
 * discovery reads, a RoleBinding for its owner groups, and its GitOps folder
 * with a README. Everything is checked before anything is written; an
 * existing namespace with the same labels is adopted, a conflicting one is
 * refused. Running it again completes what a failed run left out.
 */
export class EnvironmentCreator implements ModelEnvironmentCreationService {
  constructor(
    private readonly deps: {
      client: ModelClusterClient;
      environments: EnvironmentRegistry;
      gitops: GitOpsService;
      committer: CommitIdentity;
      integrations?: ScmIntegrationRegistry;
      allowList: GitHostAllowList;
      catalog: CatalogService;
      /** Where other replicas and pages learn of a new environment. */
      events?: ModelDeploymentsEvents;
    },
  ) {}

  /**
   * Creates `object` in the collection at `path` unless `found`; resolves
   * to whether this call created it. Another request (or replica) may
   * create it between our read and our create: its object is then adopted
   * when it is what we would have made.
   */
  private async createUnlessFound(
    cluster: string,
    path: string,
    object: KubernetesObject,
    found: KubernetesObject | undefined,
  ): Promise<boolean> {
    if (found) return false;
    try {
      await this.deps.client.create(cluster, path, object);
      return true;
    } catch (error) {
      if (!(error instanceof ClusterRequestError && error.statusCode === 409)) {
        throw error;
      }
      const winner = await this.deps.client.get(
        cluster,
        `${path}/${object.metadata?.name}`,
      );
      if (!winner) throw error;
      this.assertAdoptable(cluster, winner, object);
      return false;
    }
  }

  private assertAdoptable(
    cluster: string,
    found: KubernetesObject,
    wanted: KubernetesObject,
  ) {
    const conflicts = metadataConflicts(found, wanted);
    if (conflicts.length > 0) {
      throw new InputError(
        `namespace: '${
          wanted.metadata?.name
        }' already exists on cluster '${cluster}' with other labels or annotations (${conflicts.join(
          ', ',
        )}); pick another namespace or label it yourself`,
      );
    }
  }

  async create(
    request: EnvironmentCreationRequest,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentCreationResult> {
    const { namespace, groups, folder } = await checkEnvironmentRequest(
      this.deps,
      request,
      credentials,
    );
    const { client } = this.deps;
    const gitops = request.gitops;
    const namespaceObject = environmentNamespace(request, namespace, folder);
    const existing = await client.get(
      request.cluster,
      `/api/v1/namespaces/${namespace}`,
    );
    if (existing)
      this.assertAdoptable(request.cluster, existing, namespaceObject);
    const bindingObject = ownersBinding(namespace, groups);
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
    const upToDate = (found: EnvironmentCreationResult['objects']) => ({
      status: 'up-to-date' as const,
      message: `Environment ${request.name} already has its namespace${
        gitops ? ' and GitOps folder' : ''
      }`,
      objects: found,
      files: [],
    });
    const nothingToDo =
      objects.every(o => o.action === 'exists') && files.length === 0;
    if (nothingToDo) return upToDate(objects);
    if (request.dryRun) {
      return {
        status: 'dry-run',
        message: `Would create environment ${request.name}`,
        objects,
        files,
      };
    }

    // Git first: if it fails, nothing was created in the cluster.
    const git =
      writer && gitops && files.length > 0
        ? await writeEnvironmentFolder({
            writer,
            base,
            committer: this.deps.committer,
            request: { ...request, gitops },
            namespace,
            folder,
            commitUrl: sha => this.deps.gitops.commitUrl(gitops, sha),
            integrations: this.deps.integrations,
          })
        : {};
    const createdNamespace = await this.createUnlessFound(
      request.cluster,
      '/api/v1/namespaces',
      namespaceObject,
      existing,
    );
    const createdBinding = bindingObject
      ? await this.createUnlessFound(
          request.cluster,
          bindingPath,
          bindingObject,
          existingBinding,
        )
      : false;
    if (!git.commit && !createdNamespace && !createdBinding) {
      // Everything was made meanwhile by someone else.
      return upToDate(objects.map(o => ({ ...o, action: 'exists' as const })));
    }
    await this.deps.events?.publish({
      type: 'environment-created',
      environment: request.name,
      cluster: request.cluster,
      namespace,
    });
    return {
      status: 'created',
      message: `Created environment ${
        request.name
      }: namespace ${namespace} on ${request.cluster}${
        gitops ? `, GitOps folder ${folder}` : ''
      }`,
      objects,
      files: git.commit ? files : [],
      ...git,
    };
  }
}
