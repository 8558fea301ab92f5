import { PromotionResult } from '@seed-mlops/plugin-model-deployments-common';
import { PreparedPromotion, PromotionActor } from './PromotionPlanner';
import { PromotionStore } from './PromotionStore';

type Outcome = Omit<PromotionResult, 'files' | 'diff'>;

/** Records promotion attempts in the store; without one, records nothing. */
export class PromotionHistory {
  constructor(private readonly store?: PromotionStore) {}

  /** Records a finished promotion; the result gains the record's id. */
  async recordResult(
    result: PromotionResult,
    actor: PromotionActor,
  ): Promise<PromotionResult> {
    const stored = await this.add(result, actor);
    return stored ? { ...result, id: stored.id } : result;
  }

  /** Records a promotion that failed while writing. */
  async recordFailure(
    prepared: PreparedPromotion,
    error: unknown,
  ): Promise<void> {
    await this.add(
      {
        entityRef: prepared.ref,
        from: prepared.from.name,
        to: prepared.to.name,
        strategy: prepared.strategy,
        versions: prepared.versions,
        status: 'failed',
        message: `Promotion failed: ${String(
          (error as Error)?.message ?? error,
        )}`,
      },
      prepared.actor,
    );
  }

  private add(outcome: Outcome, actor: PromotionActor) {
    return this.store?.add({
      entityRef: outcome.entityRef,
      from: outcome.from,
      to: outcome.to,
      strategy: outcome.strategy,
      status: outcome.status,
      actor: actor.ref,
      versions: outcome.versions,
      message: outcome.message,
      ...(outcome.commit ? { commit: outcome.commit } : {}),
      ...(outcome.branch ? { branch: outcome.branch } : {}),
      ...(outcome.pullRequest ? { pullRequest: outcome.pullRequest } : {}),
    });
  }
}
