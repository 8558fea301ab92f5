import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  IDEMPOTENCY_KEY_HEADER,
  PromotionRecord,
  PromotionRequest,
  PromotionResult,
} from '@seed-mlops/plugin-model-deployments-common';
import { PreparedPromotion, PromotionActor } from './PromotionPlanner';
import { PromotionStore } from './PromotionStore';
import { parseModelRef } from './promotionRoute';

type Outcome = Omit<PromotionResult, 'files' | 'diff'>;

/** Records promotion attempts in the store; without one, records nothing. */
export class PromotionHistory {
  constructor(private readonly store?: PromotionStore) {}

  /**
   * Records a finished promotion; the result gains the record's id. When a
   * request with the same idempotency key was recorded first (a concurrent
   * retry), the answer is that request's record.
   */
  async recordResult(
    result: PromotionResult,
    actor: PromotionActor,
    idempotencyKey?: string,
  ): Promise<PromotionResult> {
    const stored = await this.add(result, actor, idempotencyKey);
    if (!stored) return result;
    const ours =
      stored.status === result.status &&
      stored.commit?.sha === result.commit?.sha &&
      stored.branch === result.branch;
    return ours ? { ...result, id: stored.id } : replayOf(stored);
  }

  /**
   * The answer to a request whose idempotency key is already recorded: the
   * record, if it was the same user's promotion of the same model to the
   * same environment; an error naming the header otherwise.
   */
  async replay(
    idempotencyKey: string,
    request: PromotionRequest,
    actor: PromotionActor,
  ): Promise<PromotionResult | undefined> {
    const earlier = await this.store?.findByIdempotencyKey(idempotencyKey);
    if (!earlier) return undefined;
    const same =
      earlier.actor === actor.ref &&
      earlier.entityRef ===
        stringifyEntityRef(parseModelRef(request.entityRef)) &&
      earlier.to === request.to &&
      (request.from === undefined || earlier.from === request.from);
    if (!same) {
      throw new InputError(
        `${IDEMPOTENCY_KEY_HEADER}: already used for another promotion; send a new key for a new request`,
      );
    }
    return replayOf(earlier);
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

  private add(
    outcome: Outcome,
    actor: PromotionActor,
    idempotencyKey?: string,
  ) {
    return this.store?.add(
      {
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
      },
      idempotencyKey,
    );
  }
}

/** A recorded promotion as the answer to a repeated request. */
function replayOf(record: PromotionRecord): PromotionResult {
  return {
    id: record.id,
    status: record.status,
    entityRef: record.entityRef,
    from: record.from,
    to: record.to,
    strategy: record.strategy,
    message: record.message,
    files: [],
    diff: '',
    versions: record.versions,
    ...(record.commit ? { commit: record.commit } : {}),
    ...(record.branch ? { branch: record.branch } : {}),
    ...(record.pullRequest ? { pullRequest: record.pullRequest } : {}),
    replayed: true,
  };
}
