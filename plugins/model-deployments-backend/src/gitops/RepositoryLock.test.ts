import {
  POSTGRES_IDS,
  createTestDatabases,
} from '../__testUtils__/testDatabases';
import knexFactory, { Knex } from 'knex';
import { DatabaseRepositoryLock } from './RepositoryLock';

const databases = createTestDatabases();
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Runs `work` under the lock and records when it held it. */
function timed(lock: DatabaseRepositoryLock, key: string, ms: number) {
  return lock.run(key, async () => {
    const start = Date.now();
    await sleep(ms);
    return { start, end: Date.now() };
  });
}

describe('DatabaseRepositoryLock', () => {
  const extraClients: Knex[] = [];
  afterAll(async () => {
    await Promise.all(extraClients.map(c => c.destroy()));
  });

  const postgres = POSTGRES_IDS.filter(id => databases.supports(id));

  it('runs on PostgreSQL whenever the test script provides one', () => {
    expect(postgres.length).toBe(
      process.env.MODEL_DEPLOYMENTS_TEST_POSTGRES ? 1 : 0,
    );
  });

  // One test per PostgreSQL the test script provides (none without it).
  for (const databaseId of postgres) {
    it(`lets one replica at a time write a repository, on ${databaseId}`, async () => {
      const first = await databases.init(databaseId);
      // A second replica: its own connections to the same database.
      const second = knexFactory(first.client.config);
      extraClients.push(second);
      const replicaA = new DatabaseRepositoryLock(first, { waitMs: 10_000 });
      const replicaB = new DatabaseRepositoryLock(second, { waitMs: 10_000 });

      const held = await Promise.all([
        timed(replicaA, 'http://git/models.git', 200),
        timed(replicaB, 'http://git/models.git', 200),
        timed(replicaA, 'http://git/models.git', 200),
      ]);
      const sorted = [...held].sort((a, b) => a.start - b.start);
      for (let i = 1; i < sorted.length; i++) {
        expect(sorted[i].start).toBeGreaterThanOrEqual(sorted[i - 1].end);
      }
      // Other repositories do not wait.
      const [models, production] = await Promise.all([
        timed(replicaA, 'http://git/models.git', 300),
        timed(replicaB, 'http://git/production-models.git', 300),
      ]);
      expect(production.start).toBeLessThan(models.end);

      // A replica that waits too long is told so, and writes nothing.
      const impatient = new DatabaseRepositoryLock(second, { waitMs: 100 });
      const ran = jest.fn();
      const holding = timed(replicaA, 'http://git/models.git', 1_000);
      await sleep(100);
      await expect(
        impatient.run('http://git/models.git', async () => ran()),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(/Another backend replica kept writing/),
      });
      expect(ran).not.toHaveBeenCalled();
      await holding;
    }, 60_000);
  }

  it('only runs the work on SQLite, which serves one process', async () => {
    const lock = new DatabaseRepositoryLock(await databases.init('SQLITE_3'), {
      waitMs: 1_000,
    });
    await expect(lock.run('any', async () => 'done')).resolves.toBe('done');
  });
});
