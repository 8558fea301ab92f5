import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  EnvironmentCreationRequest,
  EnvironmentCreationResult,
} from '@seed-mlops/plugin-model-deployments-common';
import { createHash } from 'crypto';
import { CommitIdentity, GitWriter } from '../gitops/GitWriter';
import { openPullRequest } from '../promotion/pullRequests';
import { environmentReadme } from './environmentObjects';

type GitOutcome = Pick<
  EnvironmentCreationResult,
  'commit' | 'branch' | 'pullRequest'
>;

/**
 * Writes the README that starts an environment's GitOps folder, unless the
 * branch has one by then (another request, or another replica, wrote it):
 * the check runs again against every head the writer tries. Resolves to
 * the commit, branch and pull request written; nothing when none was.
 */
export async function writeEnvironmentFolder(options: {
  writer: GitWriter;
  /** The branch to write to, or to branch a pull request from. */
  base: string;
  committer: CommitIdentity;
  request: EnvironmentCreationRequest & {
    gitops: NonNullable<EnvironmentCreationRequest['gitops']>;
  };
  namespace: string;
  folder: string;
  commitUrl: (sha: string) => string | undefined;
  integrations?: ScmIntegrationRegistry;
}): Promise<GitOutcome> {
  const { writer, base, committer, request, namespace, folder } = options;
  const readmePath = `${folder}/README.md`;
  const strategy = request.strategy ?? 'commit';
  const content = environmentReadme(request, namespace);
  const written = await writer.write({
    base,
    author: committer,
    plan: async head =>
      (await writer.readFile(head, readmePath)) !== undefined
        ? { kind: 'none' }
        : {
            kind: 'write',
            files: [{ path: readmePath, content }],
            message: JSON.stringify({
              Action: 'Environment created',
              Message: `Add the GitOps folder of ${request.name}`,
              Author: committer.name,
              Email: committer.email,
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
  if (!written.commit) return {};
  const url = options.commitUrl(written.commit);
  const outcome: GitOutcome = {
    commit: { sha: written.commit, ...(url ? { url } : {}) },
    branch: written.branch,
  };
  if (strategy === 'pull-request') {
    const pullRequest = await openPullRequest(options.integrations, {
      repoUrl: request.gitops.repoUrl,
      head: written.branch,
      base,
      title: `Add the GitOps folder of environment ${request.name}`,
      body: `Creates \`${folder}\` for environment ${request.name} (namespace ${namespace} on ${request.cluster}).`,
    });
    if (pullRequest) outcome.pullRequest = pullRequest;
  }
  return outcome;
}
