import {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
  isError,
} from '@backstage/errors';
import {
  ApprovalDecisionRequest,
  PendingApprovalsResponse,
  PromotionApproval,
  PromotionRecord,
  PromotionResult,
} from '@seed-mlops/plugin-model-deployments-common';
import { EnvironmentCheck } from '@seed-mlops/plugin-model-deployments-node';
import { ModelDeploymentsEvents } from '../../events/ModelDeploymentsEvents';
import {
  ChangeNotice,
  ChangeNotifier,
} from '../../notifications/ChangeNotifier';
import { DeploymentsService } from '../../service/DeploymentsService';
import { FreezeWindows, frozenError } from '../freeze/FreezeWindows';
import { PreparedPromotion } from '../PromotionPlanner';
import { ApprovalEntry, ApprovalStore } from './ApprovalStore';
import {
  Approver,
  approverOf,
  canDecide,
  checkApprover,
  groupNames,
} from './approvers';
import { ApprovalPolicy } from './readApprovalConfig';

/** Most pending promotions one listing looks at. */
const PENDING_LIMIT = 200;

/**
 * Writes an approved promotion, as its record (`running` by then) says,
 * with the plugin's own credentials for what it reads on the way.
 */
export type ApprovedRun = (
  entry: ApprovalEntry,
  ownCredentials: BackstageCredentials,
) => Promise<PromotionResult>;

/**
 * Approvals in the portal: a promotion by commit into an environment that
 * requires approval waits, recorded with what it will write, until enough
 * members of the approval groups (the requester excepted) approve it, one
 * rejects it, or it expires. The approval that completes it writes it, on
 * whichever replica received it; approvers approve what they were shown.
 */
export class Approvals {
  constructor(
    private readonly deps: {
      store: ApprovalStore;
      policies: Map<string, ApprovalPolicy>;
      deployments: DeploymentsService;
      freezes?: FreezeWindows;
      notifier?: ChangeNotifier;
      events?: ModelDeploymentsEvents;
      auth: AuthService;
      userInfo: UserInfoService;
      now?: () => Date;
    },
  ) {}

  /** The approval promotions by commit into `to` wait for, if any. */
  policyOf(to: string): ApprovalPolicy | undefined {
    return this.deps.policies.get(to);
  }

  /** Whether a promotion by this strategy waits; a pull request's review is its approval. */
  static holds(strategy: string): boolean {
    return strategy === 'commit';
  }

  /** What a dry run shows of the approval the promotion would wait for. */
  static preview(policy: ApprovalPolicy): PromotionApproval {
    return { required: policy.required, groups: policy.groups, decisions: [] };
  }

  /** Records the promotion as waiting for approval and tells the approvers. */
  async hold(
    prepared: PreparedPromotion,
    preview: PromotionResult,
    policy: ApprovalPolicy,
    idempotencyKey?: string,
  ): Promise<PromotionResult> {
    const { ref, from, to, actor } = prepared;
    const waiting = await this.deps.store.findPending(ref, to.name);
    if (waiting) {
      throw new ConflictError(
        `${ref} is already waiting for approval into '${to.name}' (asked by ${waiting.actor} at ${waiting.createdAt}); ask its approvers, or wait until it is decided or expires`,
      );
    }
    const expiresAt = new Date(this.now().getTime() + policy.expiresAfterMs);
    const waitsFor = `${policy.required} approval${
      policy.required === 1 ? '' : 's'
    } from ${groupNames(policy.groups)}`;
    const record = await this.deps.store.addPending(
      {
        entityRef: ref,
        from: from.name,
        to: to.name,
        strategy: prepared.strategy,
        status: 'pending-approval',
        actor: actor.ref,
        versions: prepared.versions,
        message: `Waiting for ${waitsFor}`,
      },
      { required: policy.required, groups: policy.groups, expiresAt },
      {
        request: {
          entityRef: ref,
          from: from.name,
          to: to.name,
          ...(prepared.request.force ? { force: true } : {}),
        },
        files: prepared.files.map(f => ({ path: f.path, object: f.object })),
        diff: preview.diff,
      },
      idempotencyKey,
    );
    await this.tell(record, 'pending-approval', {
      message: `${actor.ref} asks to promote ${ref} from ${from.name} to ${
        to.name
      } (${
        prepared.versions.join(', ') || 'no versions named'
      }): ${waitsFor}, by ${expiresAt.toISOString()}`,
      audience: { entityRefs: policy.groups, exclude: actor.ref },
    });
    return {
      ...preview,
      id: record.id,
      status: record.status,
      message: record.message,
      approval: {
        ...Approvals.preview(policy),
        expiresAt: expiresAt.toISOString(),
      },
    };
  }

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
    const approver = await approverOf(credentials, this.deps);
    const entry = await store.get(promotionId);
    if (!entry) {
      throw new NotFoundError(`No promotion ${promotionId} needs approval`);
    }
    await this.assertReadable(entry, credentials, canRead);
    const { record } = entry;
    const who = checkApprover(entry, approver);
    if (record.status !== 'pending-approval') {
      throw new ConflictError(
        `This promotion is no longer waiting for approval: it is ${record.status}`,
      );
    }
    if (await this.expireIfDue(entry)) {
      throw new ConflictError(
        `This promotion expired at ${entry.approval.expiresAt} without approval; ask for it again`,
      );
    }
    const decision = request.decision === 'approve' ? 'approved' : 'rejected';
    await store.addDecision(promotionId, {
      by: who.ref,
      decision,
      ...(request.comment ? { comment: request.comment } : {}),
    });
    if (decision === 'rejected') {
      const message = `Rejected by ${who.ref}: ${request.comment}`;
      if (!(await store.settle(promotionId, 'rejected', message))) {
        await store.removeDecision(promotionId, who.ref);
        return this.answer(promotionId);
      }
      await this.tell(record, 'rejected', { message });
      return this.answer(promotionId);
    }
    const now = (await store.get(promotionId))!;
    const approvals = now.approval.decisions.filter(
      d => d.decision === 'approved',
    );
    if (approvals.length < entry.approval.required) {
      await this.tell(record, 'approved', {
        message: `Approved by ${who.ref} (${approvals.length} of ${entry.approval.required})`,
      });
      return this.answer(promotionId);
    }
    const frozen = this.deps.freezes?.frozen(record.to);
    if (frozen && !entry.change.request.force) {
      // Nothing changes: the approver approves again after the freeze.
      await store.removeDecision(promotionId, who.ref);
      throw frozenError(record.to, frozen, 'promotion');
    }
    const by = approvals.map(a => a.by).join(', ');
    if (!(await store.settle(promotionId, 'running', `Approved by ${by}`))) {
      // Another approver's request completed it first and is writing it.
      return this.answer(promotionId);
    }
    const result = await run(
      now,
      await this.deps.auth.getOwnServiceCredentials(),
    );
    return { ...result, approval: { ...now.approval, canDecide: false } };
  }

  /** The promotions waiting for approval that the caller may see, oldest first. */
  async listPending(
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<PendingApprovalsResponse> {
    const approver = await approverOf(credentials, this.deps);
    const entries = await this.deps.store.listPending(PENDING_LIMIT);
    const readable = new Map<string, string[] | undefined | null>();
    const promotions: PromotionRecord[] = [];
    for (const entry of entries) {
      const { entityRef, from, to } = entry.record;
      if (!readable.has(entityRef)) {
        readable.set(
          entityRef,
          await this.readableFor(entityRef, credentials, canRead),
        );
      }
      const envs = readable.get(entityRef);
      if (envs === null) continue;
      if (envs && !(envs.includes(from) && envs.includes(to))) continue;
      promotions.push(this.withApproval(entry, approver));
    }
    return { promotions };
  }

  /** The records, those that needed approval with it (and whether the caller may decide). */
  async withApprovals(
    records: PromotionRecord[],
    credentials: BackstageCredentials,
  ): Promise<PromotionRecord[]> {
    const approvals = await this.deps.store.approvalsOf(records.map(r => r.id));
    if (approvals.size === 0) return records;
    const approver = await approverOf(credentials, this.deps);
    return records.map(record => {
      const approval = approvals.get(record.id);
      return approval
        ? this.withApproval({ record, approval }, approver)
        : record;
    });
  }

  /** Ends every promotion whose time ran out; resolves to how many. */
  async expireDue(): Promise<number> {
    const due = await this.deps.store.listExpired(this.now());
    let expired = 0;
    for (const entry of due) if (await this.expireIfDue(entry)) expired++;
    return expired;
  }

  private async expireIfDue(entry: ApprovalEntry): Promise<boolean> {
    const { record, approval } = entry;
    if (new Date(approval.expiresAt).getTime() > this.now().getTime()) {
      return false;
    }
    const message = `Expired at ${approval.expiresAt} with ${
      approval.decisions.filter(d => d.decision === 'approved').length
    } of ${approval.required} approvals`;
    if (!(await this.deps.store.settle(record.id, 'expired', message))) {
      return false;
    }
    await this.tell(record, 'expired', { message });
    return true;
  }

  private withApproval(
    entry: Pick<ApprovalEntry, 'record' | 'approval'>,
    approver: Approver | undefined,
  ): PromotionRecord {
    return {
      ...entry.record,
      approval: {
        ...entry.approval,
        canDecide: canDecide(entry, approver, this.now()),
      },
    };
  }

  /** The answer to a decision: the record as it is now. */
  private async answer(promotionId: string): Promise<PromotionResult> {
    const entry = (await this.deps.store.get(promotionId))!;
    const { record } = entry;
    return {
      id: record.id,
      kind: record.kind,
      status: record.status,
      entityRef: record.entityRef,
      from: record.from,
      to: record.to,
      strategy: record.strategy,
      message: record.message,
      // The files and diff were shown when it was asked for.
      files: [],
      diff: '',
      versions: record.versions,
      approval: { ...entry.approval, canDecide: false },
    };
  }

  private async assertReadable(
    entry: ApprovalEntry,
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ) {
    const { entityRef, to } = entry.record;
    const envs = await this.readableFor(entityRef, credentials, canRead);
    if (envs === null || (envs && !envs.includes(to))) {
      throw new NotAllowedError(
        `You may not see ${entityRef} in environment '${to}', so you may not decide on its promotion`,
      );
    }
  }

  /** Environments where the caller may read the model; null when it is hidden. */
  private async readableFor(
    entityRef: string,
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
  ): Promise<string[] | undefined | null> {
    try {
      return await this.deps.deployments.readableEnvironments(
        parseEntityRef(entityRef),
        credentials,
        canRead,
      );
    } catch (error) {
      if (isError(error) && error.name === 'NotFoundError') return null;
      throw error;
    }
  }

  private async tell(
    record: PromotionRecord,
    outcome: ChangeNotice['outcome'],
    notice: Pick<ChangeNotice, 'message' | 'audience'>,
  ) {
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
    await this.deps.notifier?.notify({
      kind: 'promotion',
      entityRef: record.entityRef,
      actor: record.actor,
      from: record.from,
      to: record.to,
      outcome,
      promotionId: record.id,
      ...notice,
    });
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}
