import { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { PromotionRecord } from '@seed-mlops/plugin-model-deployments-common';
import { EnvironmentRegistry } from '../environments/EnvironmentRegistry';
import { ModelDeploymentsEvents } from '../events/ModelDeploymentsEvents';
import { GitOpsService } from '../gitops/GitOpsService';
import { PromotionStore } from './PromotionStore';
import { PullRequestState, pullRequestState } from './pullRequests';
import { ChangeNotifier } from '../notifications/ChangeNotifier';

/** Pull requests asked about per run, so a large backlog never floods the host's API. */
const BATCH = 50;

/** The record's status once the host says the pull request is done. */
const STATUS_OF = {
  merged: 'pull-request-merged',
  closed: 'pull-request-closed',
} as const satisfies Record<Exclude<PullRequestState, 'open'>, string>;

/**
 * Follows the pull requests that promotions opened: once the host says one
 * was merged or closed, its promotion record says so, the environment's
 * repository is fetched (a merge changed its desired state), and the other
 * replicas and pages are told.
 */
export class PullRequestReconciler {
  constructor(
    private readonly deps: {
      store: PromotionStore;
      environments: EnvironmentRegistry;
      integrations?: ScmIntegrationRegistry;
      gitops: GitOpsService;
      logger: LoggerService;
      events?: ModelDeploymentsEvents;
      /** Tells the requester and the model's owners. */
      notifier?: ChangeNotifier;
    },
  ) {}

  /** Looks at every open pull request once; resolves to how many were settled. */
  async reconcile(): Promise<number> {
    const open = await this.deps.store.listOpenPullRequests(BATCH);
    let settled = 0;
    for (const promotion of open) {
      try {
        if (await this.follow(promotion)) settled++;
      } catch (error) {
        // One host or pull request failing must not stop the others.
        this.deps.logger.warn(
          `Could not read pull request #${
            promotion.pullRequest?.number
          } of the promotion of ${promotion.entityRef} into '${
            promotion.to
          }': ${stringifyError(error)}`,
        );
      }
    }
    return settled;
  }

  private async follow(promotion: PromotionRecord): Promise<boolean> {
    const env = this.deps.environments.get(promotion.to);
    if (!env?.gitops || !promotion.pullRequest) return false;
    const state = await pullRequestState(this.deps.integrations, {
      repoUrl: env.gitops.repoUrl,
      number: promotion.pullRequest.number,
    });
    if (!state || state === 'open') return false;
    const status = STATUS_OF[state];
    const done = await this.deps.store.settlePullRequest(
      promotion.id,
      status,
      `${promotion.message} Pull request #${promotion.pullRequest.number} ${
        state === 'merged' ? 'merged' : 'closed without merging'
      }.`,
    );
    if (!done) return false;
    if (state === 'merged') {
      // Failures show in the environment's Git state; the record is settled.
      await this.deps.gitops.refreshEnvironment(env).catch(() => undefined);
    }
    await this.deps.notifier?.notify({
      kind: promotion.kind,
      entityRef: promotion.entityRef,
      actor: promotion.actor,
      from: promotion.from,
      to: promotion.to,
      outcome: status,
      message: `Pull request #${promotion.pullRequest.number} ${
        state === 'merged' ? 'merged' : 'closed without merging'
      }.`,
      promotionId: promotion.id,
    });
    await this.deps.events?.publish({
      type: 'promotion-finished',
      promotionId: promotion.id,
      entityRef: promotion.entityRef,
      from: promotion.from,
      to: promotion.to,
      status,
    });
    return true;
  }
}
