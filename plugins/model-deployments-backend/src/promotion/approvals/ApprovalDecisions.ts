import {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { ConflictError, isError, NotFoundError } from '@backstage/errors';
import {
  ApprovalDecisionRequest,
  PromotionResult,
} from '@seed-mlops/plugin-model-deployments-common';
import { EnvironmentCheck } from '@seed-mlops/plugin-model-deployments-node';
import { DeploymentsService } from '../../service/DeploymentsService';
import { FreezeWindows, frozenError } from '../freeze/FreezeWindows';
import { resultOf } from '../PromotionHistory';
import { ApprovalNotices } from './approvalNotices';
import { ApprovalEntry, ApprovalStore } from './ApprovalStore';
import { approverOf, checkApprover, maySee } from './approvers';

/**
 * Writes an approved promotion, as its record (`running` by then) says,
 * with the plugin's own credentials for what it reads on the way.
 */
export type ApprovedRun = (
  entry: ApprovalEntry,
  ownCredentials: BackstageCredentials,
) => Promise<PromotionResult>;

/**
 * Approvers' decisions and expiry. Every move from waiting is one
 * conditional update, so of racing approvers, rejecters and the expiry
 * task (on any replica) exactly one moves a promotion; a decision that
 * lost the race is taken back and answered with how the promotion ended.
 */
export class ApprovalDecisions {
  constructor(
    private readonly deps: {
      store: ApprovalStore;
      deployments: DeploymentsService;
      freezes?: FreezeWindows;
      notices: ApprovalNotices;
      auth: AuthService;
      userInfo: UserInfoService;
      now?: () => Date;
    },
  ) {}

  /**
   * Records an approver's decision. A rejection ends the promotion; the
   * approval that completes the count writes it through `run`, and the
   * answer is then its result.
   */
  async decide(
    promotionId: string,
    request: ApprovalDecisionRequest,
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
    run: ApprovedRun,
  ): Promise<PromotionResult> {
    const { store } = this.deps;
    const entry = await store.get(promotionId);
    // A promotion the caller may not see is one that does not exist.
    if (
      !entry ||
      !(await maySee(entry.record, this.deps, credentials, canRead))
    ) {
      throw new NotFoundError(`No promotion ${promotionId} needs approval`);
    }
    const who = checkApprover(entry, await approverOf(credentials, this.deps));
    await this.assertWaiting(entry);
    const decision = request.decision === 'approve' ? 'approved' : 'rejected';
    const added = await store.addDecision(promotionId, {
      by: who.ref,
      decision,
      ...(request.comment ? { comment: request.comment } : {}),
    });
    // A retry of a decision taken: how the promotion stands now.
    if (added === 'repeated') return this.answer(promotionId);
    const { record, approval } = entry;
    if (decision === 'rejected') {
      const message = `Rejected by ${who.ref}: ${request.comment}`;
      if (!(await store.settle(promotionId, 'rejected', message))) {
        return this.takeBack(promotionId, who.ref);
      }
      await this.deps.notices.ended(
        record,
        'rejected',
        message,
        approval.groups,
      );
      return this.answer(promotionId);
    }
    const current = (await store.get(promotionId))!;
    if (current.record.status !== 'pending-approval') {
      return this.takeBack(promotionId, who.ref);
    }
    const approvals = current.approval.decisions.filter(
      d => d.decision === 'approved',
    );
    if (approvals.length < approval.required) {
      await this.deps.notices.tell(
        record,
        'approved',
        `Approved by ${who.ref} (${approvals.length} of ${approval.required}); waiting for more`,
      );
      return this.answer(promotionId);
    }
    const frozen = this.deps.freezes?.frozen(record.to);
    if (frozen && !entry.change.request.forcedFreeze) {
      // Nothing changes: the approver approves again after the freeze.
      await store.removeDecision(promotionId, who.ref);
      throw frozenError(record.to, frozen, 'promotion');
    }
    const by = approvals.map(a => a.by).join(', ');
    if (!(await store.settle(promotionId, 'running', `Approved by ${by}`))) {
      // Another approval completed it at the same moment and writes it;
      // unless it ended otherwise, this approval stands too.
      const now = (await store.get(promotionId))!;
      if (['rejected', 'expired'].includes(now.record.status)) {
        return this.takeBack(promotionId, who.ref);
      }
      return this.answer(promotionId);
    }
    let result: PromotionResult;
    try {
      result = await run(
        current,
        await this.deps.auth.getOwnServiceCredentials(),
      );
    } catch (error) {
      // Their "approval needed" notices give way to how it ended.
      await this.deps.notices.notify(
        record,
        'failed',
        `Approved by ${by}. ${isError(error) ? error.message : error}`,
        approval.groups,
      );
      throw error;
    }
    await this.deps.notices.notify(
      record,
      result.status === 'failed' ? 'failed' : 'done',
      `Approved by ${by}. ${result.message}`,
      approval.groups,
    );
    return { ...result, approval: { ...current.approval, canDecide: false } };
  }

  /** Ends every promotion whose time ran out; resolves to how many. */
  async expireDue(): Promise<number> {
    const due = await this.deps.store.listExpired(this.now());
    let expired = 0;
    for (const entry of due) if (await this.expire(entry)) expired++;
    return expired;
  }

  /** Refuses a decision on a promotion no longer waiting, or past its time. */
  private async assertWaiting(entry: ApprovalEntry) {
    const { record, approval } = entry;
    if (record.status !== 'pending-approval') {
      throw new ConflictError(
        `This promotion is no longer waiting for approval: it is ${record.status}`,
      );
    }
    if (new Date(approval.expiresAt).getTime() <= this.now().getTime()) {
      // Whoever settles it (this request or the expiry task), it is expired.
      await this.expire(entry);
      throw new ConflictError(
        `This promotion expired at ${approval.expiresAt} without approval; ask for it again`,
      );
    }
  }

  /** Takes back a decision that lost a race and says how the promotion ended. */
  private async takeBack(
    promotionId: string,
    approver: string,
  ): Promise<never> {
    await this.deps.store.removeDecision(promotionId, approver);
    const now = await this.deps.store.get(promotionId);
    throw new ConflictError(
      `This promotion is no longer waiting for approval: it is ${now?.record.status}`,
    );
  }

  private async expire(entry: ApprovalEntry): Promise<boolean> {
    const { record, approval } = entry;
    const message = `Expired at ${approval.expiresAt} with ${
      approval.decisions.filter(d => d.decision === 'approved').length
    } of ${approval.required} approvals`;
    if (!(await this.deps.store.settle(record.id, 'expired', message))) {
      return false;
    }
    await this.deps.notices.ended(record, 'expired', message, approval.groups);
    return true;
  }

  /** The answer to a decision: the record as it is now. */
  private async answer(promotionId: string): Promise<PromotionResult> {
    const entry = (await this.deps.store.get(promotionId))!;
    return {
      ...resultOf(entry.record),
      approval: { ...entry.approval, canDecide: false },
    };
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}
