import { isError } from '@backstage/errors';
import {
  Environment,
  PromotionKind,
  PromotionRecord,
  PromotionResult,
  PromotionStatus,
} from '@seed-mlops/plugin-model-deployments-common';
import { PromotionActor } from '@seed-mlops/plugin-model-deployments-node';
import { ModelDeploymentsEvents } from '../events/ModelDeploymentsEvents';
import { GitOpsService } from '../gitops/GitOpsService';
import { ChangeNotice, ChangeNotifier } from '../notifications/ChangeNotifier';
import { PromotionHistory, RecordedChange } from './PromotionHistory';
import { refreshAfterWrite } from './refreshAfterWrite';

/** Outcomes that changed Git: worth telling people about. */
const CHANGED = new Set(['committed', 'pull-request-opened', 'branch-pushed']);

/** The parts of a notice a prepared change knows. */
function noticeOf(
  change: RecordedChange,
): Pick<ChangeNotice, 'kind' | 'entityRef' | 'actor' | 'from' | 'to'> {
  return {
    kind: change.kind ?? 'promotion',
    entityRef: change.ref,
    actor: change.actor.ref,
    from: change.from.name,
    to: change.to.name,
  };
}

/**
 * What happens around writing a promotion or a rollback: its record (as
 * running, then how it ended), the event other replicas and pages hear,
 * the mirror fetched so the answer's reload shows the commit, and the
 * notifications to the requester and the model's owners.
 */
export class ChangeLifecycle {
  constructor(
    private readonly deps: {
      history: PromotionHistory;
      gitops: GitOpsService;
      events?: ModelDeploymentsEvents;
      notifier?: ChangeNotifier;
    },
  ) {}

  /** Records the change as running, writes it, records how it ended and tells. */
  async recorded(
    prepared: RecordedChange,
    write: () => Promise<PromotionResult>,
    {
      idempotencyKey,
      target,
      recordId: existing,
    }: {
      idempotencyKey?: string;
      target: Environment;
      /** The record already `running`, e.g. an approved promotion's. */
      recordId?: string;
    },
  ): Promise<PromotionResult> {
    const recordId = existing ?? (await this.deps.history.begin(prepared));
    let result: PromotionResult;
    try {
      result = await write();
    } catch (error) {
      // Bad input changes nothing, not even the history; an approved
      // promotion's record stays, as failed.
      if (isError(error) && error.name === 'InputError' && !existing) {
        await this.deps.history.discard(recordId);
        throw error;
      }
      await this.deps.history.recordFailure(prepared, recordId, error);
      await this.toldFailed(
        noticeOf(prepared),
        recordId,
        String(isError(error) ? error.message : error),
      );
      throw error;
    }
    const recorded = await this.deps.history.recordResult(
      result,
      recordId,
      idempotencyKey,
    );
    await this.published(
      recordId,
      recorded.entityRef,
      recorded,
      recorded.status,
    );
    if (CHANGED.has(recorded.status) && !recorded.replayed) {
      // After the record, so a concurrent retry finds it: the page that
      // reloads on this answer then sees the new commit.
      await refreshAfterWrite(this.deps.gitops, target);
      await this.deps.notifier?.notify({
        ...noticeOf(prepared),
        outcome: 'done',
        message: recorded.message,
        ...(recorded.id ? { promotionId: recorded.id } : {}),
      });
    }
    return recorded;
  }

  /**
   * Tells of a recorded change that failed before anything was written
   * (an approved promotion whose environments are no longer configured):
   * the event pages reload on, and the requester and the model's owners.
   */
  async failedUnwritten(
    record: PromotionRecord,
    message: string,
  ): Promise<void> {
    const { kind, entityRef, actor, from, to } = record;
    await this.toldFailed(
      { kind, entityRef, actor, from, to },
      record.id,
      message,
    );
  }

  /**
   * Runs a planner; a change refused for the environment's state (frozen,
   * failing gates) is told to the requester before the error goes on.
   */
  async refusalsNotified<T>(
    plan: () => Promise<T>,
    change: {
      kind: PromotionKind;
      request: { entityRef: string; from?: string; dryRun?: boolean };
      actor: PromotionActor;
      to: string;
    },
  ): Promise<T> {
    try {
      return await plan();
    } catch (error) {
      if (
        isError(error) &&
        error.name === 'ConflictError' &&
        !change.request.dryRun
      ) {
        await this.deps.notifier?.notify({
          kind: change.kind,
          entityRef: change.request.entityRef,
          actor: change.actor.ref,
          from: change.request.from ?? '',
          to: change.to,
          outcome: 'refused',
          message: error.message,
        });
      }
      throw error;
    }
  }

  /** The event of a failed change, and its notice to the requester and owners. */
  private async toldFailed(
    notice: ReturnType<typeof noticeOf>,
    promotionId: string | undefined,
    message: string,
  ) {
    await this.published(promotionId, notice.entityRef, notice, 'failed');
    await this.deps.notifier?.notify({
      ...notice,
      outcome: 'failed',
      message,
      ...(promotionId ? { promotionId } : {}),
    });
  }

  private async published(
    promotionId: string | undefined,
    entityRef: string,
    route: { from: string | { name: string }; to: string | { name: string } },
    status: PromotionStatus,
  ) {
    if (!promotionId) return;
    const nameOf = (env: string | { name: string }) =>
      typeof env === 'string' ? env : env.name;
    await this.deps.events?.publish({
      type: 'promotion-finished',
      promotionId,
      entityRef,
      from: nameOf(route.from),
      to: nameOf(route.to),
      status,
    });
  }
}
