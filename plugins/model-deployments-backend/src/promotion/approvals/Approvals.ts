import {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  ApprovalDecisionRequest,
  PromotionApproval,
  PromotionResult,
} from '@seed-mlops/plugin-model-deployments-common';
import { EnvironmentCheck } from '@seed-mlops/plugin-model-deployments-node';
import { ModelDeploymentsEvents } from '../../events/ModelDeploymentsEvents';
import { ChangeNotifier } from '../../notifications/ChangeNotifier';
import { DeploymentsService } from '../../service/DeploymentsService';
import { FreezeWindows } from '../freeze/FreezeWindows';
import { PreparedPromotion } from '../PromotionPlanner';
import { ApprovalNotices } from './approvalNotices';
import { ApprovalDecisions, ApprovedRun } from './ApprovalDecisions';
import { ApprovalStore } from './ApprovalStore';
import { ApprovalViews } from './ApprovalViews';
import { groupNames } from './approvers';
import { ApprovalPolicy } from './readApprovalConfig';

/**
 * Approvals in the portal: a promotion by commit into an environment that
 * requires approval waits, recorded with what it will write, until enough
 * members of the approval groups (the requester excepted) approve it, one
 * rejects it, or it expires (ApprovalDecisions); callers see them through
 * ApprovalViews.
 */
export class Approvals {
  private readonly notices: ApprovalNotices;
  private readonly views: ApprovalViews;
  private readonly decisions: ApprovalDecisions;

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
  ) {
    this.notices = new ApprovalNotices(deps);
    this.views = new ApprovalViews(deps);
    this.decisions = new ApprovalDecisions({ ...deps, notices: this.notices });
  }

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

  /**
   * Records the promotion as waiting for approval and tells the approvers.
   * `diff` is the change against the target as the approvers will see it.
   */
  async hold(
    prepared: PreparedPromotion,
    preview: PromotionResult,
    policy: ApprovalPolicy,
    diff: string,
    idempotencyKey?: string,
  ): Promise<PromotionResult> {
    const { ref, from, to, actor } = prepared;
    const expiresAt = new Date(this.now().getTime() + policy.expiresAfterMs);
    const waitsFor = `${policy.required} approval${
      policy.required === 1 ? '' : 's'
    } from ${groupNames(policy.groups)}`;
    const { force } = prepared.request;
    const added = await this.deps.store.addPending(
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
          ...(force ? { force } : {}),
          ...(force && prepared.frozen ? { forcedFreeze: true } : {}),
        },
        files: prepared.files.map(f => ({ path: f.path, object: f.object })),
        diff,
      },
      idempotencyKey,
    );
    if ('waiting' in added) {
      const { waiting } = added;
      throw new ConflictError(
        `${ref} is already waiting for approval into '${to.name}' (asked by ${waiting.actor} at ${waiting.createdAt}); ask its approvers, or wait until it is decided or expires`,
      );
    }
    const { record } = added;
    await this.notices.tell(
      record,
      'pending-approval',
      `${actor.ref} asks to promote ${ref} from ${from.name} to ${to.name} (${
        prepared.versions.join(', ') || 'no versions named'
      }): ${waitsFor}, by ${expiresAt.toISOString()}`,
      policy.groups,
    );
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
  decide(
    promotionId: string,
    request: ApprovalDecisionRequest,
    credentials: BackstageCredentials,
    canRead: EnvironmentCheck,
    run: ApprovedRun,
  ): Promise<PromotionResult> {
    return this.decisions.decide(
      promotionId,
      request,
      credentials,
      canRead,
      run,
    );
  }

  /** The promotions waiting for approval that the caller may see, oldest first. */
  listPending(credentials: BackstageCredentials, canRead: EnvironmentCheck) {
    return this.views.listPending(credentials, canRead);
  }

  /** The records, those that needed approval with it (and whether the caller may decide). */
  withApprovals(
    records: Parameters<ApprovalViews['withApprovals']>[0],
    credentials: BackstageCredentials,
  ) {
    return this.views.withApprovals(records, credentials);
  }

  /** Ends every promotion whose time ran out; resolves to how many. */
  expireDue(): Promise<number> {
    return this.decisions.expireDue();
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}
