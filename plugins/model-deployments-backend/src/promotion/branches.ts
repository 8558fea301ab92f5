import { GitOpsSource } from '@seed-mlops/plugin-model-deployments-common';
import { createHash } from 'crypto';
import { GitOpsService } from '../gitops/GitOpsService';
import { FileChange } from '../gitops/GitWriter';

/** The writer of a GitOps source's repository and the branch changes go to. */
export async function targetBranchOf(
  gitops: GitOpsService,
  source: GitOpsSource,
) {
  const writer = gitops.writerFor(source);
  const base = source.branch ?? (await writer.defaultBranch());
  return { writer, base };
}

/**
 * The branch a change is proposed on for review, e.g.
 * `model-deployments/promote-iris-to-production-1a2b3c4d`: one change, one
 * branch, so the same change again finds it.
 */
export function reviewBranchName(what: string, changes: FileChange[]): string {
  return `model-deployments/${what}-${createHash('sha256')
    .update(JSON.stringify(changes))
    .digest('hex')
    .slice(0, 8)}`;
}
