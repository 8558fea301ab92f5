import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  KubernetesObject,
  MODEL_DEPLOYMENTS_FLEET_CHANNEL,
  ModelDeploymentsChange,
  ModelDeploymentsSignal,
  modelDeploymentsEntityChannel,
} from '@seed-mlops/plugin-model-deployments-common';
import { EntityMatcher } from '../service/entityMatcher';
import { MatcherIndex } from '../service/matcherIndex';

/** How long changes are gathered before the signals go out. */
const DEFAULT_DEBOUNCE_MS = 300;
/** Entities remembered for signalling, the least recently shown dropped first. */
const DEFAULT_MAX_ENTITIES = 10_000;

/** A model a page showed, as remembered and indexed. */
interface ObservedEntity {
  entityRef: string;
  matches: EntityMatcher;
}

/**
 * Tells open pages, through Backstage signals, that what they show changed:
 * a model's channel when its deployments, Git state or promotions changed,
 * the fleet's channel when any did. Changes are gathered for a moment, so a
 * burst of watch events is one signal. A signal says only what kind of thing
 * changed; the page asks the API again, with its user's permissions.
 *
 * Which models an object belongs to is known for the models pages have
 * asked about (the fleet asks about all of them), through the same matchers
 * the API uses. They are indexed by the name or kubernetes-id they expect,
 * so a watch event costs the models it may belong to, not all of them.
 */
export class LiveUpdates {
  /** In the order of last use, the oldest first. */
  private readonly entities = new Map<string, ObservedEntity>();
  /** Exactly the entities above, kept in step by observe() and eviction. */
  private readonly index = new MatcherIndex<ObservedEntity>(
    [],
    entity => entity.matches,
  );
  private readonly pending = new Map<string, Set<ModelDeploymentsChange>>();
  private readonly fleetPending = new Set<ModelDeploymentsChange>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly deps: {
      signals: SignalsService;
      logger: LoggerService;
      debounceMs?: number;
      maxEntities?: number;
    },
  ) {}

  /** A model a page shows; its changes are signalled from now on. */
  observe(entityRef: string, matches: EntityMatcher) {
    // Re-inserted, so the map's order is the order of last use; the matcher
    // may differ from last time (the entity's annotations changed).
    this.forget(entityRef);
    const observed: ObservedEntity = { entityRef, matches };
    this.entities.set(entityRef, observed);
    this.index.add(observed);
    const max = this.deps.maxEntities ?? DEFAULT_MAX_ENTITIES;
    for (const oldest of this.entities.keys()) {
      if (this.entities.size <= max) break;
      this.forget(oldest);
    }
  }

  /**
   * An object changed in a cluster; without one (a relist, a cluster that
   * failed or came back), any model there may have changed.
   */
  deploymentsChanged(changed?: KubernetesObject) {
    const affected = changed
      ? this.index.entriesOf(changed)
      : this.entities.values();
    for (const { entityRef } of affected) this.mark(entityRef, 'deployments');
    this.fleetPending.add('deployments');
    this.schedule();
  }

  /** A GitOps repository moved: the sync state of any model may differ. */
  gitChanged() {
    for (const entityRef of this.entities.keys()) {
      this.mark(entityRef, 'git');
    }
    this.fleetPending.add('git');
    this.schedule();
  }

  /** A promotion of the model was recorded or settled. */
  promotionsChanged(entityRef: string) {
    this.mark(entityRef, 'promotions');
    this.schedule();
  }

  /** Sends what is gathered now, e.g. at shutdown. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const sends: Array<Promise<void>> = [];
    for (const [entityRef, changes] of this.pending) {
      sends.push(this.send(modelDeploymentsEntityChannel(entityRef), changes));
    }
    if (this.fleetPending.size) {
      sends.push(
        this.send(MODEL_DEPLOYMENTS_FLEET_CHANNEL, new Set(this.fleetPending)),
      );
    }
    this.pending.clear();
    this.fleetPending.clear();
    await Promise.all(sends);
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private forget(entityRef: string) {
    const observed = this.entities.get(entityRef);
    if (!observed) return;
    this.entities.delete(entityRef);
    this.index.remove(observed);
  }

  private mark(entityRef: string, change: ModelDeploymentsChange) {
    let changes = this.pending.get(entityRef);
    if (!changes) {
      changes = new Set();
      this.pending.set(entityRef, changes);
    }
    changes.add(change);
  }

  /** The first change starts the wait; later ones ride along, so a signal is never later than one wait. */
  private schedule() {
    if (this.timer) return;
    this.timer = setTimeout(
      () => void this.flush(),
      this.deps.debounceMs ?? DEFAULT_DEBOUNCE_MS,
    );
    this.timer.unref?.();
  }

  private async send(channel: string, changes: Set<ModelDeploymentsChange>) {
    const message: ModelDeploymentsSignal = { changed: [...changes].sort() };
    try {
      await this.deps.signals.publish({
        recipients: { type: 'broadcast' },
        channel,
        message,
      });
    } catch (error) {
      // Pages still refresh on their own actions; a lost signal is not an error for anyone.
      this.deps.logger.warn(
        `Could not publish the ${channel} signal`,
        error instanceof Error ? error : undefined,
      );
    }
  }
}
