import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { cachedCatalog } from './cachedCatalog';
import { PerCallerCache } from './PerCallerCache';

const amara = mockCredentials.user('user:default/amara');
const tomas = mockCredentials.user('user:default/tomas');
const scaffolder = mockCredentials.service('plugin:scaffolder');

describe('PerCallerCache', () => {
  it('asks once per caller and question while the answer is fresh, then again', async () => {
    const cache = new PerCallerCache<number>({ ttlMs: 40 });
    let asked = 0;
    const load = async () => ++asked;
    const [a, b] = await Promise.all([
      cache.get(amara, 'q', load),
      cache.get(amara, 'q', load),
    ]);
    expect([a, b]).toEqual([1, 1]);
    expect(await cache.get(tomas, 'q', load)).toBe(2);
    expect(await cache.get(scaffolder, 'q', load)).toBe(3);
    expect(await cache.get(amara, 'other', load)).toBe(4);
    await new Promise(resolve => setTimeout(resolve, 60));
    expect(await cache.get(amara, 'q', load)).toBe(5);
  });

  it('does not keep a failure', async () => {
    const cache = new PerCallerCache<string>({ ttlMs: 10_000 });
    await expect(
      cache.get(amara, 'q', async () => {
        throw new Error('catalog down');
      }),
    ).rejects.toThrow('catalog down');
    await expect(cache.get(amara, 'q', async () => 'back')).resolves.toBe(
      'back',
    );
  });

  it('asks every time with a TTL of 0', async () => {
    const cache = new PerCallerCache<number>({ ttlMs: 0 });
    let asked = 0;
    await cache.get(amara, 'q', async () => ++asked);
    await cache.get(amara, 'q', async () => ++asked);
    expect(asked).toBe(2);
  });
});

describe('cachedCatalog', () => {
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'fraud-scorer', namespace: 'default' },
    spec: { type: 'model' },
  };

  it("keeps each caller's entities and lists, and passes everything else through", async () => {
    const catalog = catalogServiceMock({ entities: [entity] });
    const byRef = jest.spyOn(catalog, 'getEntityByRef');
    const list = jest.spyOn(catalog, 'getEntities');
    const cached = cachedCatalog(catalog, 10_000);

    for (const ref of [
      'component:default/fraud-scorer',
      { kind: 'component', namespace: 'default', name: 'fraud-scorer' },
    ]) {
      await expect(
        cached.getEntityByRef(ref, { credentials: amara }),
      ).resolves.toEqual(entity);
    }
    await cached.getEntityByRef('component:default/fraud-scorer', {
      credentials: tomas,
    });
    expect(byRef).toHaveBeenCalledTimes(2);

    const filter = { filter: { kind: 'component' } };
    await cached.getEntities(filter, { credentials: amara });
    await cached.getEntities(filter, { credentials: amara });
    await cached.getEntities(
      { filter: { kind: 'api' } },
      { credentials: amara },
    );
    expect(list).toHaveBeenCalledTimes(2);

    // Not kept: everything but the two read calls.
    const facets = jest.spyOn(catalog, 'getEntityFacets');
    await cached.getEntityFacets({ facets: ['kind'] }, { credentials: amara });
    await cached.getEntityFacets({ facets: ['kind'] }, { credentials: amara });
    expect(facets).toHaveBeenCalledTimes(2);
  });
});
