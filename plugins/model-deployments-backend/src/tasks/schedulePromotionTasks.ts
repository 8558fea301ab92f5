import {
  AuthService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  ModelDeploymentsService,
  ModelPromotionService,
} from '@seed-mlops/plugin-model-deployments-node';
import { EnvironmentRegistry } from '../environments/EnvironmentRegistry';
import { ModelDeploymentsEvents } from '../events/ModelDeploymentsEvents';
import { GitOpsService } from '../gitops/GitOpsService';
import { ChangeNotifier } from '../notifications/ChangeNotifier';
import { ModelDeploymentsOptions } from '../options/readOptions';
import {
  AutoRollback,
  readAutoRollbackConfig,
} from '../promotion/autoRollback/AutoRollback';
import { Approvals } from '../promotion/approvals/Approvals';
import { PromotionStore } from '../promotion/PromotionStore';
import { PullRequestReconciler } from '../promotion/PullRequestReconciler';
import {
  scheduleAutoRollbacks,
  scheduleExpiringApprovals,
  scheduleReconcilingPullRequests,
  scheduleSettlingStoppedPromotions,
} from './scheduleTasks';

/**
 * The promotions' background work, each on one replica at a time: settling
 * records of stopped replicas, following pull requests, and rolling back
 * promotions that turned Failed where an environment asks for it, and
 * ending promotions whose approval ran out of time.
 */
export async function schedulePromotionTasks(deps: {
  scheduler: SchedulerService;
  logger: LoggerService;
  config: RootConfigService;
  auth: AuthService;
  options: ModelDeploymentsOptions;
  store: PromotionStore;
  environments: EnvironmentRegistry;
  integrations: ScmIntegrationRegistry;
  gitops: GitOpsService;
  deployments: ModelDeploymentsService;
  promotions: ModelPromotionService;
  events: ModelDeploymentsEvents;
  notifier: ChangeNotifier;
  approvals: Approvals;
}): Promise<void> {
  const { scheduler, logger, options, store, notifier } = deps;
  await scheduleSettlingStoppedPromotions({
    scheduler,
    store,
    logger,
    staleAfterMs: options.promotion.staleAfterMs,
  });
  await scheduleReconcilingPullRequests({
    scheduler,
    logger,
    intervalMs: options.promotion.pullRequestCheckIntervalMs,
    reconciler: new PullRequestReconciler({ ...deps, events: deps.events }),
  });
  await scheduleAutoRollbacks({
    scheduler,
    intervalMs: options.promotion.autoRollbackCheckIntervalMs,
    autoRollback: new AutoRollback({
      ...deps,
      notifier,
      windows: readAutoRollbackConfig(deps.config),
    }),
  });
  await scheduleExpiringApprovals({
    scheduler,
    intervalMs: options.promotion.approvalCheckIntervalMs,
    approvals: deps.approvals,
  });
}
