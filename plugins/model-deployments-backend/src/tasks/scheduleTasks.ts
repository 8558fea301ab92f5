import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { EnvironmentRegistry } from '../environments/EnvironmentRegistry';
import { GitOpsService } from '../gitops/GitOpsService';
import { ModelDeploymentsOptions } from '../options/readOptions';
import { PromotionStore } from '../promotion/PromotionStore';
import { Approvals } from '../promotion/approvals/Approvals';
import { AutoRollback } from '../promotion/autoRollback/AutoRollback';
import { PullRequestReconciler } from '../promotion/PullRequestReconciler';

/** Fetches the GitOps repositories, on every replica into its own mirrors. */
export async function scheduleGitRefresh(deps: {
  scheduler: SchedulerService;
  gitops: GitOpsService;
  environments: EnvironmentRegistry;
  options: ModelDeploymentsOptions['gitops'];
}): Promise<void> {
  const { refreshIntervalMs, fetchTimeoutMs } = deps.options;
  await deps.scheduler.scheduleTask({
    id: 'model-deployments-gitops-refresh',
    // Local: each replica fetches into its own mirrors.
    scope: 'local',
    frequency: { milliseconds: refreshIntervalMs },
    initialDelay: { milliseconds: refreshIntervalMs },
    // Every fetch is bounded by fetchTimeout; reading the new commits follows.
    timeout: { milliseconds: 2 * fetchTimeoutMs },
    fn: () => deps.gitops.refreshAll(deps.environments.list()),
  });
}

/** Settles the promotion records a stopped replica left `running`. */
export async function scheduleSettlingStoppedPromotions(deps: {
  scheduler: SchedulerService;
  store: PromotionStore;
  logger: LoggerService;
  staleAfterMs: number;
}): Promise<void> {
  const { staleAfterMs } = deps;
  await deps.scheduler.scheduleTask({
    id: 'model-deployments-settle-stopped-promotions',
    // Global: one replica settles what another left running when it stopped.
    scope: 'global',
    frequency: { milliseconds: Math.min(60_000, staleAfterMs) },
    timeout: { milliseconds: 60_000 },
    fn: async () => {
      const settled = await deps.store.settleStale(
        new Date(Date.now() - staleAfterMs),
      );
      if (settled > 0) {
        deps.logger.warn(
          `Marked ${settled} promotion(s) as failed: the replica writing them stopped before they finished`,
        );
      }
    },
  });
}

/** Follows the pull requests promotions opened until merged or closed. */
export async function scheduleReconcilingPullRequests(deps: {
  scheduler: SchedulerService;
  reconciler: PullRequestReconciler;
  logger: LoggerService;
  intervalMs: number;
}): Promise<void> {
  await deps.scheduler.scheduleTask({
    id: 'model-deployments-reconcile-pull-requests',
    // Global: one replica asks the hosts; the records are shared.
    scope: 'global',
    frequency: { milliseconds: deps.intervalMs },
    timeout: { milliseconds: Math.max(60_000, deps.intervalMs) },
    fn: async () => {
      const settled = await deps.reconciler.reconcile();
      if (settled > 0) {
        deps.logger.info(
          `${settled} promotion pull request(s) merged or closed since the last look`,
        );
      }
    },
  });
}

/** Rolls back promotions whose deployments turned Failed (environments' autoRollback). */
export async function scheduleAutoRollbacks(deps: {
  scheduler: SchedulerService;
  autoRollback: AutoRollback;
  intervalMs: number;
}): Promise<void> {
  await deps.scheduler.scheduleTask({
    id: 'model-deployments-auto-rollback',
    // Global: one replica at a time; each rollback is also idempotent.
    scope: 'global',
    frequency: { milliseconds: deps.intervalMs },
    timeout: { milliseconds: Math.max(120_000, deps.intervalMs) },
    fn: async () => {
      await deps.autoRollback.check();
    },
  });
}

/** Ends the promotions whose approval ran out of time, and tells their requesters. */
export async function scheduleExpiringApprovals(deps: {
  scheduler: SchedulerService;
  approvals: Approvals;
  intervalMs: number;
}): Promise<void> {
  await deps.scheduler.scheduleTask({
    id: 'model-deployments-expire-approvals',
    // Global: one replica at a time; each expiry is also a conditional update.
    scope: 'global',
    frequency: { milliseconds: deps.intervalMs },
    timeout: { milliseconds: Math.max(60_000, deps.intervalMs) },
    fn: async () => {
      await deps.approvals.expireDue();
    },
  });
}
