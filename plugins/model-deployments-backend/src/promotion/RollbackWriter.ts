import { ScmIntegrationRegistry } from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { PromotionResult } from '@seed-mlops/plugin-model-deployments-common';
import { GitOpsService } from '../gitops/GitOpsService';
import { CommitIdentity, FileChange, WritePlan } from '../gitops/GitWriter';
import { reviewBranchName, targetBranchOf } from './branches';
import { commitMessage } from './commitMessage';
import { PlannedFile, unifiedDiff } from './promotedFiles';
import { proposeForReview } from './promotionPullRequest';
import { planRestore } from './rollbackFiles';
import { PreparedRollback } from './RollbackPlanner';

/** The rollback as messages name it: the model, the environment, the commit. */
function summaryOf({ entityRef, to, restoredCommit }: PreparedRollback) {
  // The sha alone: a commit's own summary may be a rollback's, and nesting
  // them grows with every round.
  return `${entityRef.name} in ${to.name} to ${restoredCommit.sha.slice(0, 7)}`;
}

/** One change, one review branch: the same rollback again finds it. */
function reviewBranchFor(prepared: PreparedRollback, changes: FileChange[]) {
  return reviewBranchName(
    `rollback-${prepared.entityRef.name}-in-${prepared.to.name}`,
    changes,
  );
}

function changesOf(planned: PlannedFile[]): FileChange[] {
  return planned.map(({ path, change, content }) =>
    change === 'delete' ? { path, deleted: true } : { path, content },
  );
}

function resultOf(
  prepared: PreparedRollback,
  planned: PlannedFile[],
  status: PromotionResult['status'],
  message: string,
  extra: Partial<PromotionResult> = {},
): PromotionResult {
  const { ref, to, strategy, versions, restored, mayReadTarget } = prepared;
  return {
    kind: 'rollback',
    restored,
    status,
    entityRef: ref,
    from: to.name,
    to: to.name,
    strategy,
    message,
    files: planned.map(({ path, change }) => ({ path, change })),
    ...(mayReadTarget
      ? {}
      : {
          diffWithheld: `You may not read environment '${to.name}', so its current manifests and the diff against them are not shown`,
        }),
    diff: mayReadTarget ? unifiedDiff(planned) : '',
    versions,
    ...(prepared.frozen ? { frozen: prepared.frozen } : {}),
    ...extra,
  };
}

/**
 * Writes a prepared rollback as a new commit on the environment's branch
 * (history is never rewritten), or on a branch of its own for review.
 * Planned against the branch head, so a branch that moved meanwhile is
 * planned again.
 */
export class RollbackWriter {
  constructor(
    private readonly deps: {
      gitops: GitOpsService;
      catalog: CatalogService;
      committer: CommitIdentity;
      integrations?: ScmIntegrationRegistry;
    },
  ) {}

  /** What the rollback would change at the branch head; writes nothing. */
  async preview(prepared: PreparedRollback): Promise<PromotionResult> {
    const { writer, base } = await targetBranchOf(
      this.deps.gitops,
      prepared.gitops,
    );
    const planned = await writer.read(base, head =>
      planRestore(head, prepared.files, (h, p) => writer.readFile(h, p)),
    );
    const summary = summaryOf(prepared);
    return planned.length === 0
      ? resultOf(prepared, planned, 'up-to-date', `Already as at ${summary}`)
      : resultOf(
          prepared,
          planned,
          'dry-run',
          prepared.frozen && !prepared.request.force
            ? `Would be refused: ${prepared.to.name} is frozen until ${prepared.frozen.until} (${prepared.frozen.reason}). Roll back after that, or force it`
            : `Would roll back ${summary}`,
        );
  }

  /** Commits the rollback, or pushes it to a review branch and proposes it. */
  async write(prepared: PreparedRollback): Promise<PromotionResult> {
    const { gitops, strategy, to } = prepared;
    const { writer, base } = await targetBranchOf(
      this.deps.gitops,
      prepared.gitops,
    );
    const summary = summaryOf(prepared);
    const message = await commitMessage(this.deps.catalog, prepared.actor, {
      action: `Rolled back to ${prepared.restored.commit.slice(0, 7)}`,
      text: `Roll back ${summary}`,
    });
    let planned: PlannedFile[] = [];
    const written = await writer.write({
      base,
      author: this.deps.committer,
      plan: async (head): Promise<WritePlan> => {
        planned = await planRestore(head, prepared.files, (h, p) =>
          writer.readFile(h, p),
        );
        if (planned.length === 0) return { kind: 'none' };
        const files = changesOf(planned);
        return {
          kind: 'write',
          files,
          message,
          ...(strategy === 'pull-request'
            ? { branch: reviewBranchFor(prepared, files) }
            : {}),
        };
      },
    });
    if (!written.commit) {
      return resultOf(
        prepared,
        planned,
        'up-to-date',
        `Already as at ${summary}`,
      );
    }
    const url = this.deps.gitops.commitUrl(gitops, written.commit);
    const commit = { sha: written.commit, ...(url ? { url } : {}) };
    if (strategy === 'commit') {
      return resultOf(
        prepared,
        planned,
        'committed',
        `Rolled back ${summary}`,
        {
          commit,
          branch: written.branch,
        },
      );
    }
    const review = await proposeForReview(
      this.deps.integrations,
      {
        repoUrl: gitops.repoUrl,
        title: `Roll back ${summary}`,
        description: [
          `Restores the manifests of ${prepared.ref} in ${to.title} to commit ${prepared.restored.commit}.`,
          '',
          `Versions then: ${prepared.versions.join(', ') || 'none named'}`,
          `Requested by: ${prepared.actor.ref}`,
        ],
      },
      { base, branch: written.branch, existed: written.existed, summary },
    );
    return resultOf(prepared, planned, review.status, review.message, {
      commit,
      branch: written.branch,
      ...(review.pullRequest ? { pullRequest: review.pullRequest } : {}),
    });
  }
}
