import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { DeploymentHistoryResponse } from '@seed-mlops/plugin-model-deployments-common';
import { GitOpsService } from '../gitops/GitOpsService';
import { EnvironmentCheck } from '@seed-mlops/plugin-model-deployments-node';
import { DeploymentReader } from './DeploymentReader';
import { entityMatcher } from './entityMatcher';

/** A model's deployment history: the commits that changed its manifests. */
export class DeploymentHistory {
  constructor(
    private readonly deps: { gitops?: GitOpsService },
    private readonly reader: DeploymentReader,
  ) {}

  /**
   * The commits that changed the entity's manifests in one environment,
   * newest first, `limit` of them from `offset`.
   */
  async history(
    request: {
      entityRef: CompoundEntityRef;
      environment: string;
      offset: number;
      limit: number;
    },
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<DeploymentHistoryResponse> {
    const { offset, limit } = request;
    const env = this.reader.environmentNamed(request.environment);
    const entity = await this.reader.entityOf(request.entityRef, credentials);
    if (!canRead({ environment: env, entity })) {
      throw new NotAllowedError(
        `You may not see the history of ${stringifyEntityRef(
          request.entityRef,
        )} in '${env.name}'`,
      );
    }
    const matches = entityMatcher(entity);
    const base = {
      entityRef: stringifyEntityRef(request.entityRef),
      environment: env.name,
      offset,
      limit,
    };
    const empty = (message: string, paths: string[] = []) => ({
      ...base,
      paths,
      commits: [],
      totalCount: 0,
      complete: true,
      message,
    });
    if (!env.gitops || !this.deps.gitops) {
      return empty(`Environment '${env.name}' has no GitOps source.`);
    }
    const { deployments, git } = await this.reader.environmentDeployments(
      env,
      matches,
    );
    const paths = [
      ...new Set(deployments.flatMap(d => (d.gitPath ? [d.gitPath] : []))),
    ].sort();
    const history = await this.deps.gitops.history(env);
    if (!history) {
      return empty(git?.error ?? 'The repository has not been fetched yet.');
    }
    if (paths.length === 0) {
      return empty(
        `No manifest of this model in ${git?.repoUrl ?? 'Git'}${
          git?.path ? ` (${git.path})` : ''
        }.`,
      );
    }
    const pathsOf = new Map<number, string[]>();
    for (const file of paths) {
      for (const index of history.changes.get(file) ?? []) {
        pathsOf.set(index, [...(pathsOf.get(index) ?? []), file]);
      }
    }
    const indexes = [...pathsOf.keys()].sort((a, b) => a - b);
    return {
      ...base,
      paths,
      headCommit: history.head,
      commits: indexes.slice(offset, offset + limit).map(index => ({
        ...history.commits[index],
        paths: pathsOf.get(index)!,
      })),
      totalCount: indexes.length,
      complete: history.complete,
    };
  }
}
