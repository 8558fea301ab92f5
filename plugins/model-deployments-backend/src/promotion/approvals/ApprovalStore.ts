import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  ApprovalDecision,
  PromotionApproval,
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

const migrationsDir = resolvePackagePath(
  '@seed-mlops/plugin-model-deployments-backend',
  'migrations',
);

/** What an approved promotion writes, kept from when it was asked for. */
export interface PendingChange {
  request: { entityRef: string; from: string; to: string; force?: boolean };
  files: Array<{ path: string; object: Record<string, unknown> }>;
  /** The diff against the target when it was asked for, shown to approvers. */
  diff: string;
}

/** A promotion waiting for approval, or one that waited. */
export interface ApprovalEntry {
  record: PromotionRecord;
  approval: Omit<PromotionApproval, 'canDecide'> & { expiresAt: string };
  change: PendingChange;
}

interface ApprovalRow {
  promotion_id: string;
  required: number;
  groups: string;
  expires_at: Date | string;
  change: string;
}

interface DecisionRow {
  promotion_id: string;
  approver: string;
  decision: 'approved' | 'rejected';
  comment: string | null;
  created_at: Date | string;
}

const PENDING = 'pending-approval';

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
   * With an idempotency key already recorded, records nothing and resolves
   * to that request's record.
   */
  async addPending(
    promotion: NewPromotionRecord,
    approval: { required: number; groups: string[]; expiresAt: Date },
    change: PendingChange,
    idempotencyKey?: string,
  ): Promise<PromotionRecord> {
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
      // A retry with the same key, recorded first on another replica.
      if (!idempotencyKey || !isUniqueViolation(error)) throw error;
      const earlier = await this.db<PromotionRow>('promotions')
        .where({ idempotency_key: idempotencyKey })
        .first();
      if (!earlier) throw error;
      return toRecord(earlier);
    }
    return toRecord(row);
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

  /** Records one approver's decision; a second one by them is refused. */
  async addDecision(
    promotionId: string,
    decision: Omit<ApprovalDecision, 'at'>,
  ): Promise<void> {
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
      throw new ConflictError(
        'You have already decided on this promotion; a decision cannot be changed',
      );
    }
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
      .update({ status, message });
    return updated === 1;
  }

  /** Puts a promotion taken for writing back to waiting: it could not run yet. */
  async reopen(promotionId: string, message: string): Promise<void> {
    await this.db<PromotionRow>('promotions')
      .where({ id: promotionId, status: 'running' })
      .update({ status: PENDING, message });
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
    return rows.map(row => {
      const change: PendingChange = JSON.parse(row.change);
      return {
        record: toRecord(row),
        approval: {
          required: row.required,
          groups: JSON.parse(row.groups),
          expiresAt: new Date(row.expires_at).toISOString(),
          decisions: decisions
            .filter(d => d.promotion_id === row.id)
            .map(d => ({
              by: d.approver,
              decision: d.decision,
              ...(d.comment ? { comment: d.comment } : {}),
              at: new Date(d.created_at).toISOString(),
            })),
          // Only while it waits: what the approvers decide on.
          ...(row.status === PENDING && change.diff
            ? { diff: change.diff }
            : {}),
        },
        change,
      };
    });
  }
}
