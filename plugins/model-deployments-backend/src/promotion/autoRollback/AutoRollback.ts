import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { parseEntityRef } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import {
  Environment,
  PromotionRecord,
} from '@seed-mlops/plugin-model-deployments-common';
import {
  EnvironmentCheck,
  ModelDeploymentsService,
  ModelPromotionService,
  PromotionActor,
} from '@seed-mlops/plugin-model-deployments-node';
import { EnvironmentRegistry } from '../../environments/EnvironmentRegistry';
import { optionalDurationMs } from '../../options/readOptions';
import { GitOpsService } from '../../gitops/GitOpsService';
import { ChangeNotifier } from '../../notifications/ChangeNotifier';
import { formatDuration } from '../gates/PromotionGates';
import { PromotionStore } from '../PromotionStore';

const DEFAULT_WITHIN_MS = 30 * 60_000;

/** `autoRollback.within` of each environment that opted in, by name. */
export function readAutoRollbackConfig(config: Config): Map<string, number> {
  const windows = new Map<string, number>();
  for (const entry of config.getOptionalConfigArray(
    'modelDeployments.environments',
  ) ?? []) {
    const autoRollback = entry.getOptionalConfig('autoRollback');
    if (!autoRollback || autoRollback.getOptionalBoolean('enabled') === false) {
      continue;
    }
    windows.set(
      entry.getString('name'),
      optionalDurationMs(autoRollback, 'within') ?? DEFAULT_WITHIN_MS,
    );
  }
  return windows;
}

/** The plugin reading as itself: an automatic rollback is the platform's decision. */
const EVERYWHERE: EnvironmentCheck = Object.assign(() => true, {
  everywhere: true,
});

/**
 * Rolls back a promotion whose deployment turned Failed within the
 * environment's window after the promotion reached the cluster (its live
 * object in sync with Git): back to the commit before the promotion, as
 * the plugin, and tells the requester and the model's owners. Opt-in per
 * environment. Runs on one replica at a time; the idempotency key of each
 * promotion's rollback makes a second run, on any replica, do nothing.
 */
export class AutoRollback {
  constructor(
    private readonly deps: {
      windows: Map<string, number>;
      environments: EnvironmentRegistry;
      store: PromotionStore;
      deployments: ModelDeploymentsService;
      promotions: ModelPromotionService;
      gitops: GitOpsService;
      auth: AuthService;
      logger: LoggerService;
      notifier?: ChangeNotifier;
      now?: () => number;
    },
  ) {}

  /** Looks at every opted-in environment once; resolves to how many were rolled back. */
  async check(): Promise<number> {
    let rolledBack = 0;
    for (const env of this.deps.environments.list()) {
      const withinMs = this.deps.windows.get(env.name);
      if (withinMs === undefined || !env.gitops) continue;
      const now = this.deps.now?.() ?? Date.now();
      const landed = await this.deps.store.listLandedSince(
        env.name,
        new Date(now - withinMs),
      );
      for (const record of landed) {
        try {
          if (await this.follow(env, record, withinMs)) rolledBack++;
        } catch (error) {
          // One model failing to roll back must not stop the others.
          this.deps.logger.warn(
            `Could not roll back ${record.entityRef} in '${
              env.name
            }' automatically: ${
              isError(error) ? error.message : String(error)
            }`,
          );
        }
      }
    }
    return rolledBack;
  }

  private async follow(
    env: Environment,
    promotion: PromotionRecord,
    withinMs: number,
  ): Promise<boolean> {
    const idempotencyKey = `auto-rollback-${promotion.id}`;
    if (await this.deps.store.findByIdempotencyKey(idempotencyKey)) {
      return false;
    }
    // Only the newest change of the model there: an older one was replaced.
    const newest = await this.deps.store.newestChange(
      promotion.entityRef,
      env.name,
    );
    if (newest?.id !== promotion.id) return false;

    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const failed = await this.failedDeployment(env, promotion, credentials);
    if (!failed) return false;
    const before = await this.commitBefore(env, promotion.commit!.sha);
    if (!before) {
      this.deps.logger.warn(
        `${failed} of ${promotion.entityRef} turned Failed in '${env.name}', but the commit before promotion ${promotion.id} is not in the kept history; not rolled back`,
      );
      return false;
    }
    const result = await this.deps.promotions.rollback(
      {
        entityRef: promotion.entityRef,
        environment: env.name,
        to: { commit: before },
      },
      systemActor(credentials),
      { idempotencyKey },
    );
    const reason = `${failed} turned Failed within ${formatDuration(
      withinMs,
    )} of promotion ${promotion.id}`;
    this.deps.logger.info(
      `Rolled back ${promotion.entityRef} in '${env.name}' automatically: ${reason}`,
    );
    await this.deps.notifier?.notify({
      kind: 'rollback',
      entityRef: promotion.entityRef,
      actor: promotion.actor,
      from: env.name,
      to: env.name,
      outcome: 'done',
      message: `Rolled back automatically: ${reason}. ${result.message}`,
      ...(result.id ? { promotionId: result.id } : {}),
    });
    return true;
  }

  /** A deployment of the model that is Failed while in sync with the promoted Git. */
  private async failedDeployment(
    env: Environment,
    promotion: PromotionRecord,
    credentials: BackstageCredentials,
  ): Promise<string | undefined> {
    const view = await this.deps.deployments.getEntityDeployments(
      parseEntityRef(promotion.entityRef),
      credentials,
      EVERYWHERE,
    );
    const column = view.environments.find(e => e.environment.name === env.name);
    const failed = column?.deployments.find(
      d => d.phase === 'Failed' && d.sync?.state === 'InSync',
    );
    return failed ? `${failed.kind} ${failed.name}` : undefined;
  }

  /** The commit that changed the environment's folder just before `sha`. */
  private async commitBefore(
    env: Environment,
    sha: string,
  ): Promise<string | undefined> {
    const history = await this.deps.gitops.history(env);
    const index = history?.commits.findIndex(c => c.sha === sha) ?? -1;
    return index >= 0 ? history?.commits[index + 1]?.sha : undefined;
  }
}

/** The plugin itself as the one who rolls back: allowed by the environment's opt-in. */
function systemActor(credentials: BackstageCredentials): PromotionActor {
  return {
    ref: 'plugin:model-deployments',
    credentials,
    authorize: async () => ({ mayReadTarget: true }),
  };
}
