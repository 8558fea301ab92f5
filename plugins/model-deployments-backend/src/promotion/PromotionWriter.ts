import { CatalogService } from '@backstage/plugin-catalog-node';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { PromotionResult } from '@seed-mlops/plugin-model-deployments-common';
import { GitOpsService } from '../gitops/GitOpsService';
import { CommitIdentity, FileChange, WritePlan } from '../gitops/GitWriter';
import { PreparedPromotion } from './PromotionPlanner';
import { PlannedFile, planFiles, unifiedDiff } from './promotedFiles';
import { reviewBranchName, targetBranchOf } from './branches';
import { commitMessage } from './commitMessage';
import { proposeForReview } from './promotionPullRequest';

/** The promotion as messages name it: the model, its versions, the stages. */
function summaryOf({ entityRef, versions, from, to }: PreparedPromotion) {
  return `${entityRef.name}${
    versions.length ? ` (${versions.join(', ')})` : ''
  } from ${from.name} to ${to.name}`;
}

/** What a dry run says, and that failing gates would refuse it. */
function previewMessage(prepared: PreparedPromotion, summary: string) {
  const { frozen } = prepared;
  if (frozen && !prepared.request.force) {
    return `Would be refused: ${prepared.to.name} is frozen until ${frozen.until} (${frozen.reason}). Promote after that, or force it`;
  }
  const failed = prepared.gates?.filter(g => !g.passed) ?? [];
  if (failed.length === 0) return `Would promote ${summary}`;
  const names = failed.map(g => g.name).join(', ');
  return prepared.request.force
    ? `Would promote ${summary}, forced past failing gates: ${names}`
    : `Would be refused: ${names} failed in ${prepared.from.name}. Promote once the gates pass, or force it`;
}

/** One change, one review branch: the same promotion again finds it. */
function reviewBranchFor(prepared: PreparedPromotion, changes: FileChange[]) {
  return reviewBranchName(
    `promote-${prepared.entityRef.name}-to-${prepared.to.name}`,
    changes,
  );
}

/** What the caller is told, with the target's diff only if they may read it. */
function resultOf(
  prepared: PreparedPromotion,
  planned: PlannedFile[],
  status: PromotionResult['status'],
  message: string,
  extra: Partial<PromotionResult> = {},
): PromotionResult {
  const { ref, from, to, strategy, versions, mayReadTarget, clusterCheck } =
    prepared;
  const { gates } = prepared;
  return {
    kind: 'promotion',
    status,
    entityRef: ref,
    from: from.name,
    to: to.name,
    strategy,
    message,
    files: planned.map(({ path, change }) => ({ path, change })),
    // The diff's removed lines are the target's current manifests.
    ...(mayReadTarget
      ? {}
      : {
          diffWithheld: `You may not read environment '${to.name}', so its current manifests and the diff against them are not shown`,
        }),
    diff: mayReadTarget ? unifiedDiff(planned) : '',
    versions,
    ...(clusterCheck ? { clusterCheck } : {}),
    ...(gates ? { gates } : {}),
    ...(prepared.frozen ? { frozen: prepared.frozen } : {}),
    ...extra,
  };
}

/**
 * Writes a prepared promotion to the target's Git branch: planned against
 * the branch head, so a branch that moved meanwhile is planned again, and
 * committed to the branch or, for review, to a branch of its own.
 */
export class PromotionWriter {
  constructor(
    private readonly deps: {
      gitops: GitOpsService;
      catalog: CatalogService;
      committer: CommitIdentity;
      /** Hosts with pull request APIs (GitHub, GitLab) and their credentials. */
      integrations?: ScmIntegrationRegistry;
    },
  ) {}

  /** What the promotion would change at the target branch's head; writes nothing. */
  async preview(prepared: PreparedPromotion): Promise<PromotionResult> {
    const { writer, base } = await targetBranchOf(
      this.deps.gitops,
      prepared.gitops,
    );
    const summary = summaryOf(prepared);
    const planned = await writer.read(base, head =>
      planFiles(head, prepared.files, (h, p) => writer.readFile(h, p)),
    );
    return planned.length === 0
      ? resultOf(
          prepared,
          planned,
          'up-to-date',
          `Already up to date: ${summary}`,
        )
      : resultOf(
          prepared,
          planned,
          'dry-run',
          previewMessage(prepared, summary),
        );
  }

  /** Commits the promotion, or pushes it to a review branch and proposes it. */
  async write(prepared: PreparedPromotion): Promise<PromotionResult> {
    const { gitops, strategy, from, to } = prepared;
    const { writer, base } = await targetBranchOf(
      this.deps.gitops,
      prepared.gitops,
    );
    const summary = summaryOf(prepared);
    const message = await commitMessage(this.deps.catalog, prepared.actor, {
      action: `Promoted from ${from.name}`,
      text: `Promote ${summary}`,
    });
    let planned: PlannedFile[] = [];
    const written = await writer.write({
      base,
      author: this.deps.committer,
      plan: async (head): Promise<WritePlan> => {
        planned = await planFiles(head, prepared.files, (h, p) =>
          writer.readFile(h, p),
        );
        if (planned.length === 0) return { kind: 'none' };
        const files = planned.map(({ path, content }) => ({ path, content }));
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
        `Already up to date: ${summary}`,
      );
    }
    const url = this.deps.gitops.commitUrl(gitops, written.commit);
    const commit = { sha: written.commit, ...(url ? { url } : {}) };
    if (strategy === 'commit') {
      return resultOf(prepared, planned, 'committed', `Promoted ${summary}`, {
        commit,
        branch: written.branch,
      });
    }
    const review = await proposeForReview(
      this.deps.integrations,
      {
        repoUrl: gitops.repoUrl,
        title: `Promote ${summary}`,
        description: [
          `Promotes ${prepared.ref} from ${from.title} to ${to.title}.`,
          '',
          `Versions: ${prepared.versions.join(', ') || 'none named'}`,
          `Requested by: ${prepared.actor.ref}`,
        ],
      },
      {
        base,
        branch: written.branch,
        existed: written.existed,
        summary,
      },
    );
    return resultOf(prepared, planned, review.status, review.message, {
      commit,
      branch: written.branch,
      ...(review.pullRequest ? { pullRequest: review.pullRequest } : {}),
    });
  }
}
