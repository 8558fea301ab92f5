import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { SignalPayload } from '@backstage/plugin-signals-node';
import { KubernetesObject } from '@seed-mlops/plugin-model-deployments-common';
import { entityMatcher } from '../service/entityMatcher';
import { LiveUpdates } from './LiveUpdates';

const model = (name: string, annotations: Record<string, string> = {}) =>
  ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'model' },
  } as Entity);

const sdep = (name: string, labels: Record<string, string> = {}) =>
  ({
    apiVersion: 'machinelearning.seldon.io/v1',
    kind: 'SeldonDeployment',
    metadata: { name, namespace: 'dev', labels },
  } as KubernetesObject);

const FRAUD = 'component:default/fraud-scorer';
const IRIS = 'component:default/iris-classifier';

function setUp(options: { maxEntities?: number } = {}) {
  const published: SignalPayload[] = [];
  const logger = mockServices.logger.mock();
  const live = new LiveUpdates({
    // Records what would go to the signals backend.
    signals: { publish: async signal => void published.push(signal) },
    logger,
    debounceMs: 20,
    ...options,
  });
  live.observe(
    FRAUD,
    entityMatcher(
      model('fraud-scorer', { 'model-deployments/name': 'fraud-scorer' }),
    ),
  );
  live.observe(IRIS, entityMatcher(model('iris-classifier')));
  const settle = () => new Promise(resolve => setTimeout(resolve, 60));
  const byChannel = () =>
    Object.fromEntries(published.map(s => [s.channel, s.message]));
  return { live, published, byChannel, settle, logger };
}

describe('LiveUpdates', () => {
  it('signals the model an object belongs to, and the fleet, after a short wait', async () => {
    const { live, published, byChannel, settle } = setUp();
    live.deploymentsChanged(sdep('fraud-scorer'));
    expect(published).toEqual([]);
    await settle();
    expect(byChannel()).toEqual({
      [`model-deployments:entity:${FRAUD}`]: { changed: ['deployments'] },
      'model-deployments:fleet': { changed: ['deployments'] },
    });
    expect(published.every(s => s.recipients.type === 'broadcast')).toBe(true);
  });

  it('matches by the Kubernetes plugin label too, as the API does', async () => {
    const { live, byChannel, settle } = setUp();
    live.deploymentsChanged(
      sdep('iris-v2', { 'backstage.io/kubernetes-id': 'iris-classifier' }),
    );
    await settle();
    expect(Object.keys(byChannel()).sort()).toEqual([
      `model-deployments:entity:${IRIS}`,
      'model-deployments:fleet',
    ]);
  });

  it('sends one signal per channel for a burst of changes', async () => {
    const { live, published, settle } = setUp();
    for (let i = 0; i < 50; i++) live.deploymentsChanged(sdep('fraud-scorer'));
    live.gitChanged();
    await settle();
    expect(published).toHaveLength(3);
    expect(
      published.find(s => s.channel === `model-deployments:entity:${FRAUD}`)
        ?.message,
    ).toEqual({ changed: ['deployments', 'git'] });
  });

  it('signals every model shown when anything in an environment may have changed', async () => {
    const { live, byChannel, settle } = setUp();
    live.deploymentsChanged(undefined);
    await settle();
    expect(Object.keys(byChannel()).sort()).toEqual([
      `model-deployments:entity:${FRAUD}`,
      `model-deployments:entity:${IRIS}`,
      'model-deployments:fleet',
    ]);
  });

  it("signals a promotion on the model's channel only", async () => {
    const { live, byChannel, settle } = setUp();
    live.promotionsChanged(FRAUD);
    await settle();
    expect(byChannel()).toEqual({
      [`model-deployments:entity:${FRAUD}`]: { changed: ['promotions'] },
    });
  });

  it('forgets the model shown longest ago beyond its limit', async () => {
    const { live, byChannel, settle } = setUp({ maxEntities: 2 });
    live.observe(
      'component:default/churn',
      entityMatcher(model('churn', { 'model-deployments/name': 'churn' })),
    );
    live.deploymentsChanged(undefined);
    await settle();
    // fraud-scorer, shown longest ago, is forgotten.
    expect(Object.keys(byChannel()).sort()).toEqual([
      'model-deployments:entity:component:default/churn',
      `model-deployments:entity:${IRIS}`,
      'model-deployments:fleet',
    ]);
  });

  it('says nothing when nothing a page shows changed, and never fails on a lost signal', async () => {
    const logger = mockServices.logger.mock();
    const live = new LiveUpdates({
      signals: {
        publish: async () => {
          throw new Error('signals backend gone');
        },
      },
      logger,
      debounceMs: 5,
    });
    live.deploymentsChanged(sdep('unknown-model'));
    await live.flush();
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not publish the model-deployments:fleet signal',
      expect.objectContaining({ message: 'signals backend gone' }),
    );
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });
});

describe('LiveUpdates with many models shown', () => {
  const MANY = 5_000;
  const numbered = (i: number) => `component:default/model-${i}`;
  const CHURN = 'component:default/churn';
  const CANARIES = 'component:default/canaries';
  const SHADOW = 'component:default/model-1234-shadow';
  const labelled = (id: string, labels: Record<string, string> = {}) =>
    sdep(`${id}-v9`, { 'backstage.io/kubernetes-id': id, ...labels });

  /** Fraud and iris (from setUp), MANY by kubernetes-id, then one sharing an id and two by selector. */
  function manyModels(maxEntities?: number) {
    const { live, published } = setUp({ maxEntities });
    const observe = (entityRef: string, entity: Entity) =>
      live.observe(entityRef, entityMatcher(entity));
    for (let i = 0; i < MANY; i++) observe(numbered(i), model(`model-${i}`));
    observe(
      SHADOW,
      model('model-1234-shadow', {
        'backstage.io/kubernetes-id': 'model-1234',
      }),
    );
    observe(
      CHURN,
      model('churn', { 'model-deployments/selector': 'app=churn' }),
    );
    observe(
      CANARIES,
      model('canaries', { 'model-deployments/selector': 'track=canary' }),
    );
    /** The models signalled for one change, sorted. */
    const signalledFor = async (changed: KubernetesObject) => {
      published.length = 0;
      live.deploymentsChanged(changed);
      await live.flush();
      expect(published.map(s => s.channel)).toContain(
        'model-deployments:fleet',
      );
      return published
        .map(s => s.channel.replace(/^model-deployments:entity:/, ''))
        .filter(channel => channel !== 'model-deployments:fleet')
        .sort();
    };
    return { live, observe, signalledFor };
  }

  it('signals exactly the models a change belongs to, selectors included', async () => {
    const { observe, signalledFor } = manyModels();
    expect(
      await signalledFor(labelled('model-1234', { app: 'churn' })),
    ).toEqual([CHURN, numbered(1234), SHADOW].sort());
    expect(await signalledFor(labelled('model-77'))).toEqual([numbered(77)]);
    expect(
      await signalledFor(sdep('fraud-scorer', { track: 'canary' })),
    ).toEqual([CANARIES, FRAUD].sort());
    // A name alone is not a kubernetes-id; an unknown id is nobody's.
    expect(await signalledFor(sdep('model-42'))).toEqual([]);
    expect(await signalledFor(labelled('model-999999'))).toEqual([]);

    // Shown again with another rule: only the new rule counts.
    observe(
      numbered(7),
      model('model-7', { 'model-deployments/name': 'seven' }),
    );
    expect(await signalledFor(labelled('model-7'))).toEqual([]);
    expect(await signalledFor(sdep('seven'))).toEqual([numbered(7)]);
  });

  it('no longer signals a model forgotten beyond the limit, keyed or by selector', async () => {
    // Fraud, iris and the first three numbered models are the oldest beyond the limit.
    const { observe, signalledFor } = manyModels(MANY);
    expect(await signalledFor(sdep('fraud-scorer'))).toEqual([]);
    expect(await signalledFor(labelled('model-0', { app: 'churn' }))).toEqual([
      CHURN,
    ]);
    expect(await signalledFor(labelled('model-2'))).toEqual([]);
    expect(await signalledFor(labelled('model-3'))).toEqual([numbered(3)]);

    // Shown again, a model is back; the oldest one left makes room.
    observe(numbered(0), model('model-0'));
    expect(await signalledFor(labelled('model-0'))).toEqual([numbered(0)]);
    expect(await signalledFor(labelled('model-3'))).toEqual([]);

    // Everything shown again pushes the selector models out too.
    for (let i = 0; i < MANY; i++) observe(numbered(i), model(`model-${i}`));
    expect(
      await signalledFor(
        labelled('model-9', { app: 'churn', track: 'canary' }),
      ),
    ).toEqual([numbered(9)]);
  });
});
