import {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { ApprovalEntry } from './ApprovalStore';

/** A person who may approve: their user entity ref and the groups they belong to. */
export interface Approver {
  ref: string;
  /** Their ownership entity refs: themselves and their groups. */
  groups: string[];
}

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
  if (approver.ref === record.actor) {
    throw new NotAllowedError(
      `You asked for this promotion; another member of ${groupNames(
        approval.groups,
      )} must approve it`,
    );
  }
  if (!approval.groups.some(group => approver.groups.includes(group))) {
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
    approver.ref !== record.actor &&
    approval.groups.some(group => approver.groups.includes(group)) &&
    !approval.decisions.some(d => d.by === approver.ref)
  );
}
