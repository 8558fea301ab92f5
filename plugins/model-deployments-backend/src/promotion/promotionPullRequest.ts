import { isError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { PromotionResult } from '@seed-mlops/plugin-model-deployments-common';
import { openPullRequest } from './pullRequests';

/** How a pushed promotion or rollback branch is put up for review. */
export type ReviewProposal = Pick<
  PromotionResult,
  'status' | 'message' | 'pullRequest'
>;

/**
 * Opens the pull request for a pushed promotion branch, or finds the one
 * already open. On hosts without a pull request API the pushed branch is
 * the proposal.
 */
export async function proposeForReview(
  integrations: ScmIntegrationRegistry | undefined,
  proposal: {
    repoUrl: string;
    title: string;
    /** What the change does, line by line; the plugin signs it. */
    description: string[];
  },
  pushed: {
    base: string;
    branch: string;
    /** The branch was pushed by an earlier, identical request. */
    existed?: boolean;
    summary: string;
  },
): Promise<ReviewProposal> {
  const { branch, summary } = pushed;
  const pullRequest = await openPullRequest(integrations, {
    repoUrl: proposal.repoUrl,
    head: branch,
    base: pushed.base,
    title: proposal.title,
    body: [
      ...proposal.description,
      '',
      'Opened by the model-deployments plugin of Backstage.',
    ].join('\n'),
  }).catch(error => {
    throw new Error(
      `Pushed branch ${branch}, but the pull request could not be opened: ${String(
        isError(error) ? error.message : error,
      )}`,
    );
  });
  if (pullRequest) {
    return {
      status: 'pull-request-opened',
      message: `${
        pushed.existed ? 'Already proposed in' : 'Opened'
      } pull request #${pullRequest.number}: ${summary}`,
      pullRequest,
    };
  }
  return {
    status: 'branch-pushed',
    message: pushed.existed
      ? `Already proposed on branch ${branch}: ${summary}`
      : `Pushed branch ${branch} for review: ${summary}`,
  };
}
