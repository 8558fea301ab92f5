import {
  POSTGRES_IDS,
  createTestDatabases,
} from '../__testUtils__/testDatabases';
import { PromotionStore } from './PromotionStore';

const databases = createTestDatabases();

describe('PromotionStore', () => {
  it('runs on PostgreSQL whenever the test script provides one', () => {
    const postgres = POSTGRES_IDS.filter(id => databases.supports(id));
    expect(postgres.length).toBe(
      process.env.MODEL_DEPLOYMENTS_TEST_POSTGRES ? 1 : 0,
    );
  });

  it.each(databases.eachSupportedId())(
    'records promotions and lists them newest first, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await PromotionStore.create({
        getClient: async () => knex,
      });
      const first = await store.add({
        entityRef: 'component:default/fraud-scorer',
        from: 'dev',
        to: 'staging',
        strategy: 'commit',
        status: 'committed',
        actor: 'user:default/amara',
        versions: ['gs://models/fraud/v5'],
        message: 'Promoted fraud-scorer from dev to staging',
        commit: {
          sha: 'a'.repeat(40),
          url: 'https://github.com/acme/x/commit/a',
        },
        branch: 'main',
      });
      await new Promise(resolve => setTimeout(resolve, 5));
      const second = await store.add({
        entityRef: 'component:default/fraud-scorer',
        from: 'staging',
        to: 'production',
        strategy: 'pull-request',
        status: 'pull-request-opened',
        actor: 'user:default/priya',
        versions: ['gs://models/fraud/v5'],
        message: 'Opened a pull request',
        commit: { sha: 'b'.repeat(40) },
        branch: 'model-deployments/promote-fraud-scorer-to-production-1234abcd',
        pullRequest: { number: 42, url: 'https://github.com/acme/x/pull/42' },
      });
      await store.add({
        entityRef: 'component:default/other',
        from: 'dev',
        to: 'staging',
        strategy: 'commit',
        status: 'failed',
        actor: 'service',
        versions: [],
        message: 'Git did not answer',
      });

      const listed = await store.list('component:default/fraud-scorer', 10);
      expect(listed).toEqual([second, first]);
      expect(listed[0]).toMatchObject({
        pullRequest: { number: 42, url: 'https://github.com/acme/x/pull/42' },
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(await store.list('component:default/fraud-scorer', 1)).toEqual([
        second,
      ]);
      expect(await store.list('component:default/none', 10)).toEqual([]);
      // Only promotions between the environments the caller may read.
      expect(
        await store.list('component:default/fraud-scorer', 10, [
          'dev',
          'staging',
        ]),
      ).toEqual([first]);
      // The limit applies after the filter, so a page is full when it can be.
      expect(
        await store.list('component:default/fraud-scorer', 1, [
          'dev',
          'staging',
        ]),
      ).toEqual([first]);

      // Running the migrations again (a restart) keeps the data.
      const restarted = await PromotionStore.create({
        getClient: async () => knex,
      });
      expect(
        await restarted.list('component:default/fraud-scorer', 10),
      ).toHaveLength(2);
    },
    60_000,
  );

  it.each(databases.eachSupportedId())(
    'records a promotion once per idempotency key, whoever writes first, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await PromotionStore.create({
        getClient: async () => knex,
      });
      const promotion = (status: 'committed' | 'up-to-date') => ({
        entityRef: 'component:default/fraud-scorer',
        from: 'dev',
        to: 'staging',
        strategy: 'commit' as const,
        status,
        actor: 'user:default/amara',
        versions: ['gs://models/fraud/v5'],
        message: status,
      });
      // Two replicas finishing the same retried request at once.
      const [one, two] = await Promise.all([
        store.add(promotion('committed'), 'key-1'),
        store.add(promotion('up-to-date'), 'key-1'),
      ]);
      expect(two).toEqual(one);
      expect(await store.findByIdempotencyKey('key-1')).toEqual(one);
      expect(await store.list('component:default/fraud-scorer', 10)).toEqual([
        one,
      ]);
      // Without a key, every promotion is recorded.
      await store.add(promotion('up-to-date'));
      await store.add(promotion('up-to-date'));
      expect(
        await store.list('component:default/fraud-scorer', 10),
      ).toHaveLength(3);
      expect(await store.findByIdempotencyKey('key-2')).toBeUndefined();
    },
    60_000,
  );

  it.each(databases.eachSupportedId())(
    'lists the promotions into an environment that reached its branch since a time, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await PromotionStore.create({
        getClient: async () => knex,
      });
      const into = (
        to: string,
        status: 'committed' | 'pull-request-merged' | 'failed',
        kind?: 'rollback',
      ) =>
        store.add({
          ...(kind ? { kind, restored: { commit: 'c'.repeat(40) } } : {}),
          entityRef: 'component:default/fraud-scorer',
          from: 'staging',
          to,
          strategy: 'commit',
          status,
          actor: 'user:default/amara',
          versions: [],
          message: status,
          ...(status === 'failed' ? {} : { commit: { sha: 'd'.repeat(40) } }),
        });
      const start = new Date(Date.now() - 1_000);
      const committed = await into('production', 'committed');
      await new Promise(resolve => setTimeout(resolve, 5));
      const merged = await into('production', 'pull-request-merged');
      await into('production', 'failed');
      await into('production', 'committed', 'rollback');
      await into('staging', 'committed');
      expect(
        (await store.listLandedSince('production', start)).map(r => r.id),
      ).toEqual([merged.id, committed.id]);
      expect(
        await store.listLandedSince(
          'production',
          new Date(Date.now() + 60_000),
        ),
      ).toEqual([]);
    },
    60_000,
  );

  it.each(databases.eachSupportedId())(
    'keeps a promotion running until it finishes, and settles those a stopped replica left, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await PromotionStore.create({
        getClient: async () => knex,
      });
      const running = {
        entityRef: 'component:default/fraud-scorer',
        from: 'dev',
        to: 'staging',
        strategy: 'commit' as const,
        status: 'running' as const,
        actor: 'user:default/amara',
        versions: ['gs://models/fraud/v5'],
        message: 'Promoting',
      };
      const finished = await store.add(running);
      const stopped = await store.add(running);
      const sha = 'c'.repeat(40);
      expect(
        await store.finish(finished.id, {
          ...running,
          status: 'committed',
          message: 'Promoted',
          commit: { sha },
          branch: 'main',
        }),
      ).toMatchObject({
        id: finished.id,
        status: 'committed',
        commit: { sha },
      });

      // Nothing started before this moment is still being written.
      expect(await store.settleStale(new Date(Date.now() - 60_000))).toBe(0);
      expect(await store.settleStale(new Date(Date.now() + 1_000))).toBe(1);
      const byId = Object.fromEntries(
        (await store.list('component:default/fraud-scorer', 10)).map(r => [
          r.id,
          r,
        ]),
      );
      expect(byId[finished.id].status).toBe('committed');
      expect(byId[stopped.id]).toMatchObject({
        status: 'failed',
        message: expect.stringMatching(/^Stopped unfinished/),
      });
      // A replica that was only slow finds its record settled, and keeps it so.
      expect(
        await store.finish(stopped.id, { ...running, status: 'committed' }),
      ).toMatchObject({ status: 'failed' });

      // Bad input: the record goes.
      const bad = await store.add(running);
      await store.discard(bad.id);
      expect(
        (await store.list('component:default/fraud-scorer', 10)).map(r => r.id),
      ).not.toContain(bad.id);

      // Two requests with one idempotency key: the first to finish keeps it.
      const [one, two] = [await store.add(running), await store.add(running)];
      const first = await store.finish(
        one.id,
        { ...running, status: 'committed', commit: { sha } },
        'key-9',
      );
      const second = await store.finish(
        two.id,
        { ...running, status: 'up-to-date' },
        'key-9',
      );
      expect(second).toEqual(first);
      expect(
        (await store.list('component:default/fraud-scorer', 10)).map(r => r.id),
      ).not.toContain(two.id);
    },
    60_000,
  );
});
