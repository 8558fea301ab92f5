import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, isError } from '@backstage/errors';
import {
  IDEMPOTENCY_KEY_HEADER,
  PromotionKind,
  PromotionRecord,
  PromotionRequest,
  PromotionResult,
  RollbackRequest,
} from '@seed-mlops/plugin-model-deployments-common';
import { PromotionActor } from '@seed-mlops/plugin-model-deployments-node';
import { PreparedPromotion } from './PromotionPlanner';
import { PromotionOutcome, PromotionStore } from './PromotionStore';
import { parseModelRef } from './promotionRoute';

type Outcome = Omit<PromotionResult, 'files' | 'diff'>;

/** What the history needs of a prepared promotion or rollback. */
export type RecordedChange = Pick<
  PreparedPromotion,
  'ref' | 'strategy' | 'versions'
> & {
  kind?: PromotionKind;
  from: { name: string };
  to: { name: string };
  actor: { ref: string };
  restored?: { commit: string; promotionId?: string };
};

function describe(change: RecordedChange, ing: boolean): string {
  if (change.kind === 'rollback') {
    return `${ing ? 'Rolling back' : 'Rollback of'} ${change.ref} in ${
      change.to.name
    } to ${change.restored?.commit.slice(0, 7)}`;
  }
  return `${ing ? 'Promoting' : 'Promotion of'} ${change.ref} from ${
    change.from.name
  } to ${change.to.name}`;
}

/** The kind and restored commit a record of the change keeps. */
function kindOf(change: RecordedChange) {
  return {
    kind: change.kind ?? 'promotion',
    ...(change.restored ? { restored: change.restored } : {}),
  };
}

/** Records promotion attempts in the store; without one, records nothing. */
export class PromotionHistory {
  constructor(private readonly store?: PromotionStore) {}

  /**
   * Records a promotion about to be written as `running`, so that one cut
   * short (its replica stopped) is not missing from the history. Resolves
   * to the record's id; nothing without a store.
   */
  async begin(prepared: RecordedChange): Promise<string | undefined> {
    const record = await this.store?.add({
      ...kindOf(prepared),
      entityRef: prepared.ref,
      from: prepared.from.name,
      to: prepared.to.name,
      strategy: prepared.strategy,
      status: 'running',
      actor: prepared.actor.ref,
      versions: prepared.versions,
      message: describe(prepared, true),
    });
    return record?.id;
  }

  /** Forgets the record of a promotion that turned out to be bad input. */
  async discard(id: string | undefined): Promise<void> {
    if (id) await this.store?.discard(id);
  }

  /**
   * Records a finished promotion; the result gains the record's id. When a
   * request with the same idempotency key was recorded first (a concurrent
   * retry), the answer is that request's record.
   */
  async recordResult(
    result: PromotionResult,
    id: string | undefined,
    idempotencyKey?: string,
  ): Promise<PromotionResult> {
    if (!id || !this.store) return result;
    const stored = await this.store.finish(
      id,
      outcomeOf(result),
      idempotencyKey,
    );
    if (!stored) return result;
    return stored.id === id ? { ...result, id } : replayOf(stored);
  }

  /** Records a promotion that failed while writing. */
  async recordFailure(
    prepared: RecordedChange,
    id: string | undefined,
    error: unknown,
  ): Promise<void> {
    if (!id) return;
    await this.store?.finish(id, {
      ...kindOf(prepared),
      entityRef: prepared.ref,
      from: prepared.from.name,
      to: prepared.to.name,
      strategy: prepared.strategy,
      versions: prepared.versions,
      status: 'failed',
      message: `${describe(prepared, false)} failed: ${String(
        isError(error) ? error.message : error,
      )}`,
    });
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
    if (!same || earlier.kind !== 'promotion') {
      throw new InputError(
        `${IDEMPOTENCY_KEY_HEADER}: already used for another promotion; send a new key for a new request`,
      );
    }
    return replayOf(earlier);
  }

  /** {@link replay} for a rollback: the same user's rollback of the same model and environment. */
  async replayRollback(
    idempotencyKey: string,
    request: RollbackRequest,
    actor: PromotionActor,
  ): Promise<PromotionResult | undefined> {
    const earlier = await this.store?.findByIdempotencyKey(idempotencyKey);
    if (!earlier) return undefined;
    const same =
      earlier.kind === 'rollback' &&
      earlier.actor === actor.ref &&
      earlier.entityRef ===
        stringifyEntityRef(parseModelRef(request.entityRef)) &&
      earlier.to === request.environment;
    if (!same) {
      throw new InputError(
        `${IDEMPOTENCY_KEY_HEADER}: already used for another request; send a new key for a new rollback`,
      );
    }
    return replayOf(earlier);
  }
}

/** What the record keeps of a result. */
function outcomeOf(result: Outcome): PromotionOutcome {
  return {
    kind: result.kind,
    ...(result.restored ? { restored: result.restored } : {}),
    entityRef: result.entityRef,
    from: result.from,
    to: result.to,
    strategy: result.strategy,
    status: result.status,
    versions: result.versions,
    message: result.message,
    ...(result.commit ? { commit: result.commit } : {}),
    ...(result.branch ? { branch: result.branch } : {}),
    ...(result.pullRequest ? { pullRequest: result.pullRequest } : {}),
  };
}

/** A recorded promotion as the answer to a repeated request. */
function replayOf(record: PromotionRecord): PromotionResult {
  return { ...resultOf(record), replayed: true };
}

/**
 * A recorded promotion or rollback as an answer: what the record holds,
 * without the files and diff (shown when it was asked for).
 */
export function resultOf(record: PromotionRecord): PromotionResult {
  return {
    id: record.id,
    kind: record.kind,
    ...(record.restored ? { restored: record.restored } : {}),
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
  };
}
