import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';

/**
 * Makes the writers of one repository take turns across backend replicas.
 * Within a replica a writer already queues its writes; without this, two
 * replicas writing the same branch race on every push and the loser may
 * run out of re-plans.
 */
export interface RepositoryLock {
  /** Runs `work` while no other replica runs work under the same key. */
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/**
 * A {@link RepositoryLock} in the plugin's database: a PostgreSQL advisory
 * lock held by a transaction for the length of the write, so a replica that
 * dies releases it with its connection. SQLite serves one process only, so
 * there it only runs the work.
 */
export class DatabaseRepositoryLock implements RepositoryLock {
  static async create(
    database: DatabaseService,
    options: { waitMs: number },
  ): Promise<DatabaseRepositoryLock> {
    return new DatabaseRepositoryLock(await database.getClient(), options);
  }

  constructor(
    private readonly db: Knex,
    private readonly options: {
      /** Longest wait for another replica's write to finish. */
      waitMs: number;
    },
  ) {}

  private get isPostgres() {
    return ['pg', 'postgres', 'postgresql'].includes(
      String(this.db.client.config.client),
    );
  }

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    if (!this.isPostgres) return work();
    return this.db.transaction(async trx => {
      await trx.raw(
        `SET LOCAL lock_timeout = ${Math.ceil(this.options.waitMs)}`,
      );
      try {
        await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [
          `model-deployments:git:${key}`,
        ]);
      } catch (error) {
        // 55P03: lock_not_available, the wait above ran out.
        if ((error as { code?: string }).code === '55P03') {
          throw new ConflictError(
            `Another backend replica kept writing to this repository for ${this.options.waitMs} ms; try again`,
          );
        }
        throw error;
      }
      return work();
    });
  }
}
