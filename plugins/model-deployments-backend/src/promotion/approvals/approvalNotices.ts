import { PromotionRecord } from '@seed-mlops/plugin-model-deployments-common';
import { ModelDeploymentsEvents } from '../../events/ModelDeploymentsEvents';
import {
  ChangeNotice,
  ChangeNotifier,
} from '../../notifications/ChangeNotifier';

/**
 * What other replicas, open pages and people hear as a promotion waits
 * for approval: the event pages reload on, and notifications to the
 * requester and the model's owners, or to the approval groups' members
 * (the requester excepted), whose "approval needed" a later notice about
 * the same promotion replaces.
 */
export class ApprovalNotices {
  constructor(
    private readonly deps: {
      notifier?: ChangeNotifier;
      events?: ModelDeploymentsEvents;
    },
  ) {}

  /** Tells the requester and the owners, or `approvers` when given. */
  async tell(
    record: PromotionRecord,
    outcome: ChangeNotice['outcome'],
    message: string,
    approvers?: string[],
  ): Promise<void> {
    await this.deps.events?.publish({
      type: 'promotion-finished',
      promotionId: record.id,
      entityRef: record.entityRef,
      from: record.from,
      to: record.to,
      status:
        outcome === 'rejected' || outcome === 'expired'
          ? outcome
          : 'pending-approval',
    });
    await this.notify(record, outcome, message, approvers);
  }

  /** Tells the approvers only, without an event: e.g. how a decided promotion ended. */
  async notify(
    record: PromotionRecord,
    outcome: ChangeNotice['outcome'],
    message: string,
    approvers?: string[],
  ): Promise<void> {
    await this.deps.notifier?.notify({
      kind: 'promotion',
      entityRef: record.entityRef,
      actor: record.actor,
      from: record.from,
      to: record.to,
      outcome,
      message,
      promotionId: record.id,
      ...(approvers
        ? { audience: { entityRefs: approvers, exclude: record.actor } }
        : {}),
    });
  }

  /** Tells both: the requester and owners, and the approvers. */
  async ended(
    record: PromotionRecord,
    outcome: 'rejected' | 'expired',
    message: string,
    approvers: string[],
  ): Promise<void> {
    await this.tell(record, outcome, message);
    await this.notify(record, outcome, message, approvers);
  }
}
