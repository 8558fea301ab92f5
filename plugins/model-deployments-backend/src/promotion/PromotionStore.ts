import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { PromotionRecord } from '@seed-mlops/plugin-model-deployments-common';
import { Knex } from 'knex';
import {
  NewPromotionRecord,
  PromotionRow,
  toRecord,
  toRow,
} from './promotionRows';

/** When a change began: an approved promotion when approved, else when asked for. */
const STARTED = 'coalesce(started_at, created_at)';

const migrationsDir = resolvePackagePath(
  '@seed-mlops/plugin-model-deployments-backend',
  'migrations',
);

export type { NewPromotionRecord } from './promotionRows';

/** How a `running` record ends. */
export type PromotionOutcome = Omit<NewPromotionRecord, 'actor'>;

/** The promotions history, in the plugin's database (SQLite or PostgreSQL). */
export class PromotionStore {
  static async create(database: DatabaseService): Promise<PromotionStore> {
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new PromotionStore(client);
  }

  private constructor(private readonly db: Knex) {}

  /**
   * Records a promotion. With an idempotency key already recorded (another
   * request with the same key finished first, maybe on another replica),
   * records nothing and resolves to that request's record.
   */
  async add(
    promotion: NewPromotionRecord,
    idempotencyKey?: string,
  ): Promise<PromotionRecord> {
    const row = toRow(promotion, idempotencyKey);
    if (!idempotencyKey) {
      await this.db<PromotionRow>('promotions').insert(row);
      return toRecord(row);
    }
    await this.db<PromotionRow>('promotions')
      .insert(row)
      .onConflict('idempotency_key')
      .ignore();
    return (await this.findByIdempotencyKey(idempotencyKey))!;
  }

  /**
   * Settles a `running` record with the promotion's outcome. When another
   * request with the same idempotency key was recorded first, drops this
   * one's record and resolves to that request's. When the record was
   * settled meanwhile (as stale), leaves it as it is.
   */
  async finish(
    id: string,
    outcome: PromotionOutcome,
    idempotencyKey?: string,
  ): Promise<PromotionRecord | undefined> {
    const running = () =>
      this.db<PromotionRow>('promotions').where({ id, status: 'running' });
    const dropForEarlier = async () => {
      await running().delete();
      return this.findByIdempotencyKey(idempotencyKey!);
    };
    if (idempotencyKey && (await this.findByIdempotencyKey(idempotencyKey))) {
      return dropForEarlier();
    }
    try {
      await running().update({
        status: outcome.status,
        strategy: outcome.strategy,
        message: outcome.message,
        versions: JSON.stringify(outcome.versions),
        commit_sha: outcome.commit?.sha ?? null,
        commit_url: outcome.commit?.url ?? null,
        branch: outcome.branch ?? null,
        pull_request_number: outcome.pullRequest?.number ?? null,
        pull_request_url: outcome.pullRequest?.url ?? null,
        ...(idempotencyKey ? { idempotency_key: idempotencyKey } : {}),
      });
    } catch (error) {
      // Another replica recorded the same key between our look and our write.
      if (idempotencyKey && isUniqueViolation(error)) return dropForEarlier();
      throw error;
    }
    const row = await this.db<PromotionRow>('promotions').where({ id }).first();
    return row ? toRecord(row) : undefined;
  }

  /** Forgets a `running` record: the promotion turned out to be bad input. */
  async discard(id: string): Promise<void> {
    await this.db<PromotionRow>('promotions')
      .where({ id, status: 'running' })
      .delete();
  }

  /**
   * Marks as failed every promotion still `running` that started before
   * `startedBefore` (an approved one when approved, not when asked for):
   * the replica writing it stopped. Resolves to how many.
   */
  async settleStale(startedBefore: Date): Promise<number> {
    return this.db<PromotionRow>('promotions')
      .where({ status: 'running' })
      .andWhereRaw(`${STARTED} < ?`, [startedBefore])
      .update({
        status: 'failed',
        message:
          "Stopped unfinished: the backend replica writing it stopped. Its commit may or may not have reached Git; see the target environment's history",
      });
  }

  /** A recorded promotion or rollback by id. */
  async findById(id: string): Promise<PromotionRecord | undefined> {
    const row = await this.db<PromotionRow>('promotions').where({ id }).first();
    return row ? toRecord(row) : undefined;
  }

  /** The promotion recorded with this idempotency key, with who asked for it. */
  async findByIdempotencyKey(
    idempotencyKey: string,
  ): Promise<PromotionRecord | undefined> {
    const row = await this.db<PromotionRow>('promotions')
      .where({ idempotency_key: idempotencyKey })
      .first();
    return row ? toRecord(row) : undefined;
  }

  /**
   * Promotions into `to` that reached its branch (committed, or their pull
   * request merged) since `since`, newest first.
   */
  async listLandedSince(to: string, since: Date): Promise<PromotionRecord[]> {
    const rows = await this.db<PromotionRow>('promotions')
      .where({ to_environment: to, kind: 'promotion' })
      .whereIn('status', ['committed', 'pull-request-merged'])
      .whereNotNull('commit_sha')
      .andWhereRaw(`${STARTED} >= ?`, [since])
      .orderByRaw(`${STARTED} desc, id desc`);
    // Again here: SQLite may keep the time as text, which compares oddly.
    return rows
      .filter(
        row =>
          new Date(row.started_at ?? row.created_at).getTime() >=
          since.getTime(),
      )
      .map(toRecord);
  }

  /**
   * The model's newest change into `to` that changed or will change Git
   * (not failed, refused, waiting or decided against), by when it started.
   */
  async newestChange(
    entityRef: string,
    to: string,
  ): Promise<PromotionRecord | undefined> {
    const row = await this.db<PromotionRow>('promotions')
      .where({ entity_ref: entityRef, to_environment: to })
      .whereNotIn('status', [
        'failed',
        'up-to-date',
        'pending-approval',
        'rejected',
        'expired',
        'pull-request-closed',
      ])
      .orderByRaw(`${STARTED} desc, id desc`)
      .first();
    return row ? toRecord(row) : undefined;
  }

  /** Promotions whose pull request was open when last looked at, oldest first. */
  async listOpenPullRequests(limit: number): Promise<PromotionRecord[]> {
    const rows = await this.db<PromotionRow>('promotions')
      .where({ status: 'pull-request-opened' })
      .whereNotNull('pull_request_number')
      .orderBy('created_at', 'asc')
      .limit(limit);
    return rows.map(toRecord);
  }

  /**
   * Records that a promotion's pull request was merged or closed. Resolves
   * to false when it was settled meanwhile (by another replica).
   */
  async settlePullRequest(
    id: string,
    status: 'pull-request-merged' | 'pull-request-closed',
    message: string,
  ): Promise<boolean> {
    const updated = await this.db<PromotionRow>('promotions')
      .where({ id, status: 'pull-request-opened' })
      .update({ status, message });
    return updated === 1;
  }

  /**
   * The model's promotions, newest first, only those between `environments`
   * when given (the ones the caller may read).
   */
  async list(
    entityRef: string,
    limit: number,
    environments?: string[],
  ): Promise<PromotionRecord[]> {
    const query = this.db<PromotionRow>('promotions').where({
      entity_ref: entityRef,
    });
    if (environments) {
      query
        .whereIn('from_environment', environments)
        .whereIn('to_environment', environments);
    }
    const rows = await query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(toRecord);
  }
}

export function isUniqueViolation(error: unknown): boolean {
  if (!isError(error)) return false;
  const { code, message } = error;
  // PostgreSQL's unique_violation; SQLite's constraint error.
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(message)
  );
}
