import {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, isError } from '@backstage/errors';
import { PromotionRecord } from '@seed-mlops/plugin-model-deployments-common';
import { EnvironmentCheck } from '@seed-mlops/plugin-model-deployments-node';
import { DeploymentsService } from '../../service/DeploymentsService';
import { ApprovalEntry } from './ApprovalStore';

/** A person who may approve: their user entity ref and the groups they belong to. */
export interface Approver {
  ref: string;
  /** Their ownership entity refs: themselves and their groups. */
  groups: string[];
}

/** Entity refs compare without case, as the catalog treats them. */
const same = (a: string, b: string) =>
  a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');

/** The caller as an approver; none for a service, which never approves. */
export async function approverOf(
  credentials: BackstageCredentials,
  deps: { auth: AuthService; userInfo: UserInfoService },
): Promise<Approver | undefined> {
  if (!deps.auth.isPrincipal(credentials, 'user')) return undefined;
  const info = await deps.userInfo.getUserInfo(credentials);
  return { ref: info.userEntityRef, groups: info.ownershipEntityRefs };
}

/** Groups by name, as people read them: `release-managers, platform-admins`. */
export function groupNames(groups: string[]): string {
  return groups.map(group => parseEntityRef(group).name).join(', ');
}

function isRequester(record: PromotionRecord, approver: Approver): boolean {
  return same(approver.ref, record.actor);
}

function inGroups(groups: string[], approver: Approver): boolean {
  return groups.some(group => approver.groups.some(g => same(g, group)));
}

/**
 * The caller, when they may decide on this promotion: a person, not the
 * one who asked for it, in one of its approval groups.
 */
export function checkApprover(
  entry: Pick<ApprovalEntry, 'record' | 'approval'>,
  approver: Approver | undefined,
): Approver {
  const { record, approval } = entry;
  if (!approver) {
    throw new NotAllowedError(
      'Only people approve promotions; sign in as a user',
    );
  }
  if (isRequester(record, approver)) {
    throw new NotAllowedError(
      `You asked for this promotion; another member of ${groupNames(
        approval.groups,
      )} must approve it`,
    );
  }
  if (!inGroups(approval.groups, approver)) {
    throw new NotAllowedError(
      `Only members of ${groupNames(
        approval.groups,
      )} approve promotions into '${record.to}'`,
    );
  }
  return approver;
}

/** Whether the caller may approve or reject the promotion now. */
export function canDecide(
  entry: Pick<ApprovalEntry, 'record' | 'approval'>,
  approver: Approver | undefined,
  now: Date,
): boolean {
  const { record, approval } = entry;
  return (
    record.status === 'pending-approval' &&
    new Date(approval.expiresAt).getTime() > now.getTime() &&
    approver !== undefined &&
    !isRequester(record, approver) &&
    inGroups(approval.groups, approver) &&
    !approval.decisions.some(d => same(d.by, approver.ref))
  );
}

/**
 * Whether the caller may see the promotion: the model in both its
 * environments, as the promotions list shows it.
 */
export async function maySee(
  record: Pick<PromotionRecord, 'entityRef' | 'from' | 'to'>,
  deps: { deployments: DeploymentsService },
  credentials: BackstageCredentials,
  canRead: EnvironmentCheck,
): Promise<boolean> {
  let readable: string[] | undefined;
  try {
    readable = await deps.deployments.readableEnvironments(
      parseEntityRef(record.entityRef),
      credentials,
      canRead,
    );
  } catch (error) {
    // A model the caller may not see in the catalog.
    if (isError(error) && error.name === 'NotFoundError') return false;
    throw error;
  }
  return (
    readable === undefined ||
    (readable.includes(record.from) && readable.includes(record.to))
  );
}
