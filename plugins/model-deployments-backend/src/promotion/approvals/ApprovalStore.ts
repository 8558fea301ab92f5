import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  ApprovalDecision,
  PromotionRecord,
} from '@seed-mlops/plugin-model-deployments-common';
import { Knex } from 'knex';
import { isUniqueViolation } from '../PromotionStore';
import {
  NewPromotionRecord,
  PromotionRow,
  toRecord,
  toRow,
} from '../promotionRows';
import {
  ApprovalEntry,
  ApprovalRow,
  DecisionRow,
  PENDING,
  PendingChange,
  toEntry,
} from './approvalRows';

export type { ApprovalEntry, PendingChange } from './approvalRows';

const migrationsDir = resolvePackagePath(
  '@seed-mlops/plugin-model-deployments-backend',
  'migrations',
);

/**
 * Promotions waiting for approval and the approvers' decisions, in the
 * plugin's database. Every change of state is one conditional update, so
 * of two replicas acting at once exactly one moves a promotion on.
 */
export class ApprovalStore {
  static async create(database: DatabaseService): Promise<ApprovalStore> {
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new ApprovalStore(client);
  }

  private constructor(private readonly db: Knex) {}

  /**
   * Records a promotion as waiting for approval, with what it will write.
   * Resolves to the record; to an earlier request's record when its
   * idempotency key is already recorded; or to the promotion of the model
   * into the environment that already waits (one at a time, on any replica).
   */
  async addPending(
    promotion: NewPromotionRecord,
    approval: { required: number; groups: string[]; expiresAt: Date },
    change: PendingChange,
    idempotencyKey?: string,
  ): Promise<{ record: PromotionRecord } | { waiting: PromotionRecord }> {
    const row = toRow({ ...promotion, status: PENDING }, idempotencyKey);
    try {
      await this.db.transaction(async tx => {
        await tx<PromotionRow>('promotions').insert(row);
        await tx<ApprovalRow>('promotion_approvals').insert({
          promotion_id: row.id,
          required: approval.required,
          groups: JSON.stringify(approval.groups),
          expires_at: approval.expiresAt,
          change: JSON.stringify(change),
        });
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // A retry with the same key, recorded first on another replica ...
      const earlier = idempotencyKey
        ? await this.db<PromotionRow>('promotions')
            .where({ idempotency_key: idempotencyKey })
            .first()
        : undefined;
      if (earlier) return { record: toRecord(earlier) };
      // ... or another promotion of the model into the environment.
      const waiting = await this.findPending(promotion.entityRef, promotion.to);
      if (waiting) return { waiting };
      throw error;
    }
    return { record: toRecord(row) };
  }

  /** The promotion with its approval, when it needed one. */
  async get(promotionId: string): Promise<ApprovalEntry | undefined> {
    const [entry] = await this.entries(
      this.db<PromotionRow>('promotions').where('promotions.id', promotionId),
    );
    return entry;
  }

  /** The approvals of these promotions, by promotion id (those without have none). */
  async approvalsOf(
    promotionIds: string[],
  ): Promise<Map<string, ApprovalEntry['approval']>> {
    if (promotionIds.length === 0) return new Map();
    const entries = await this.entries(
      this.db<PromotionRow>('promotions').whereIn(
        'promotions.id',
        promotionIds,
      ),
    );
    return new Map(entries.map(e => [e.record.id, e.approval]));
  }

  /** Promotions waiting for approval, oldest first, at most `limit`. */
  async listPending(limit: number): Promise<ApprovalEntry[]> {
    return this.entries(
      this.db<PromotionRow>('promotions')
        .where('promotions.status', PENDING)
        .orderBy('promotions.created_at', 'asc')
        .limit(limit),
    );
  }

  /** Another promotion of the model into `to` that is waiting for approval. */
  async findPending(
    entityRef: string,
    to: string,
  ): Promise<PromotionRecord | undefined> {
    const row = await this.db<PromotionRow>('promotions')
      .where({ entity_ref: entityRef, to_environment: to, status: PENDING })
      .first();
    return row ? toRecord(row) : undefined;
  }

  /** Promotions still waiting whose time ran out by `now`. */
  async listExpired(now: Date): Promise<ApprovalEntry[]> {
    const entries = await this.entries(
      this.db<PromotionRow>('promotions')
        .where('promotions.status', PENDING)
        .andWhere('promotion_approvals.expires_at', '<=', now),
    );
    // Again here: SQLite may keep the time as text, which compares oddly.
    return entries.filter(
      e => new Date(e.approval.expiresAt).getTime() <= now.getTime(),
    );
  }

  /**
   * Records one approver's decision. The same decision again (a retry)
   * resolves to `repeated` and changes nothing; another one is refused.
   */
  async addDecision(
    promotionId: string,
    decision: Omit<ApprovalDecision, 'at'>,
  ): Promise<'added' | 'repeated'> {
    try {
      await this.db<DecisionRow>('promotion_approval_decisions').insert({
        promotion_id: promotionId,
        approver: decision.by,
        decision: decision.decision,
        comment: decision.comment ?? null,
        created_at: new Date(),
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const earlier = await this.db<DecisionRow>('promotion_approval_decisions')
        .where({ promotion_id: promotionId, approver: decision.by })
        .first();
      if (earlier?.decision === decision.decision) return 'repeated';
      throw new ConflictError(
        `You have already ${
          earlier?.decision ?? 'decided'
        } this promotion; a decision cannot be changed`,
      );
    }
    return 'added';
  }

  /** Takes back a decision whose promotion could not go on (e.g. frozen). */
  async removeDecision(promotionId: string, approver: string): Promise<void> {
    await this.db<DecisionRow>('promotion_approval_decisions')
      .where({ promotion_id: promotionId, approver })
      .delete();
  }

  /**
   * Moves a waiting promotion to `status` (`running` to write it,
   * `rejected` or `expired` to end it). Resolves to false when it was no
   * longer waiting: another replica or approver moved it first.
   */
  async settle(
    promotionId: string,
    status: 'running' | 'rejected' | 'expired',
    message: string,
  ): Promise<boolean> {
    const updated = await this.db<PromotionRow>('promotions')
      .where({ id: promotionId, status: PENDING })
      .update({
        status,
        message,
        // Written from now: stale-record checks and rollback windows count from here.
        ...(status === 'running' ? { started_at: new Date() } : {}),
      });
    return updated === 1;
  }

  private async entries(
    query: Knex.QueryBuilder<PromotionRow>,
  ): Promise<ApprovalEntry[]> {
    const rows: Array<PromotionRow & ApprovalRow> = await query
      .join(
        'promotion_approvals',
        'promotion_approvals.promotion_id',
        'promotions.id',
      )
      .select('promotions.*', 'promotion_approvals.*');
    if (rows.length === 0) return [];
    const decisions = await this.db<DecisionRow>('promotion_approval_decisions')
      .whereIn(
        'promotion_id',
        rows.map(r => r.id),
      )
      .orderBy('created_at', 'asc');
    return rows.map(row =>
      toEntry(
        row,
        decisions.filter(d => d.promotion_id === row.id),
      ),
    );
  }
}
