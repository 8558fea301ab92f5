import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { PromotionKind } from '@seed-mlops/plugin-model-deployments-common';

/** What happened to a promotion or rollback, as its people are told. */
export interface ChangeNotice {
  kind: PromotionKind;
  /** The model. */
  entityRef: string;
  /** Who asked: a user entity ref, or a service's subject (not notified). */
  actor: string;
  from: string;
  to: string;
  outcome:
    | 'done'
    | 'failed'
    | 'refused'
    | 'pull-request-merged'
    | 'pull-request-closed'
    | 'pending-approval'
    | 'approved'
    | 'rejected'
    | 'expired';
  /** The backend's one line about it. */
  message: string;
  /**
   * Who is told instead of the requester and the owners: e.g. the approval
   * groups (whose members are told), less the requester.
   */
  audience?: { entityRefs: string[]; exclude?: string };
  /** The record, when there is one: later notices about it replace earlier ones. */
  promotionId?: string;
}

function titleOf(notice: ChangeNotice): string {
  const name = parseEntityRef(notice.entityRef).name;
  const change =
    notice.kind === 'rollback'
      ? `Rollback of ${name} in ${notice.to}`
      : `Promotion of ${name} to ${notice.to}`;
  switch (notice.outcome) {
    case 'done':
      return notice.kind === 'rollback'
        ? `Rolled back ${name} in ${notice.to}`
        : `Promoted ${name} to ${notice.to}`;
    case 'failed':
      return `${change} failed`;
    case 'refused':
      return `${change} refused`;
    case 'pull-request-merged':
      return `${change}: pull request merged`;
    case 'pending-approval':
      return `Approval needed: ${change.toLocaleLowerCase('en-US')}`;
    case 'approved':
      return `${change}: approval received, more needed`;
    case 'rejected':
      return `${change} rejected`;
    case 'expired':
      return `${change} expired unapproved`;
    default:
      return `${change}: pull request closed without merging`;
  }
}

/**
 * Tells the requester and the model's owning group what became of a
 * promotion or rollback, through Backstage notifications (the
 * notifications backend shows them in the portal and can forward them).
 * Never fails the change it reports: a notification that cannot be sent
 * is logged.
 */
export class ChangeNotifier {
  private warned = false;

  constructor(
    private readonly deps: {
      notifications: NotificationService;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  async notify(notice: ChangeNotice): Promise<void> {
    try {
      const recipients = notice.audience?.entityRefs ?? [
        ...(notice.actor.startsWith('user:') ? [notice.actor] : []),
        ...((await this.ownerOf(notice.entityRef)) ?? []),
      ];
      if (recipients.length === 0) return;
      const { namespace, kind, name } = parseEntityRef(notice.entityRef);
      await this.deps.notifications.send({
        recipients: {
          type: 'entity',
          entityRef: [...new Set(recipients)],
          ...(notice.audience?.exclude
            ? { excludeEntityRef: notice.audience.exclude }
            : {}),
        },
        payload: {
          title: titleOf(notice),
          description: notice.message,
          link: `/catalog/${namespace}/${kind.toLocaleLowerCase(
            'en-US',
          )}/${name}`,
          severity:
            notice.outcome === 'failed' || notice.outcome === 'pending-approval'
              ? 'high'
              : 'normal',
          topic: 'model-deployments',
          ...(notice.promotionId
            ? {
                scope: `model-deployments:${notice.kind}:${notice.promotionId}`,
              }
            : {}),
        },
      });
    } catch (error) {
      // Once loudly: without the notifications backend every send fails.
      const log = this.warned ? this.deps.logger.debug : this.deps.logger.warn;
      this.warned = true;
      log.call(
        this.deps.logger,
        `Could not send the notification "${titleOf(notice)}": ${
          isError(error) ? error.message : String(error)
        }`,
      );
    }
  }

  /** The model's `spec.owner` as a full entity ref, read as this plugin. */
  private async ownerOf(entityRef: string): Promise<string[] | undefined> {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials: await this.deps.auth.getOwnServiceCredentials(),
    });
    const owner = (entity?.spec as { owner?: unknown } | undefined)?.owner;
    if (typeof owner !== 'string' || !owner) return undefined;
    return [
      stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: entity?.metadata.namespace ?? 'default',
        }),
      ),
    ];
  }
}
