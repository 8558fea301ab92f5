import { Link } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  Environment,
  PromotionRecord,
} from '@seed-mlops/plugin-model-deployments-common';
import { humanizeRef, shortenUri } from '../../utils/format';
import {
  ApprovalButtons,
  ApprovalSummary,
  DecideApproval,
  approvalExpired,
  canDecideNow,
} from '../approvals';
import { Age } from '../common';
import { RollbackButton } from './RollbackButton';

const useStyles = makeStyles(theme => ({
  item: {
    borderLeft: `2px solid ${theme.palette.divider}`,
    paddingLeft: theme.spacing(1),
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
  },
  text: {
    flex: 1,
    minWidth: 0,
  },
  failed: {
    borderLeftColor: theme.palette.error.main,
  },
  waiting: {
    borderLeftColor: theme.palette.warning.main,
  },
  rollback: {
    borderLeftStyle: 'dashed',
    borderLeftColor: theme.palette.info.main,
  },
  meta: {
    color: theme.palette.text.secondary,
  },
}));

const STATUS_WORDS: Record<PromotionRecord['status'], string> = {
  committed: 'committed',
  'pull-request-opened': 'pull request opened',
  'pull-request-merged': 'pull request merged',
  'pull-request-closed': 'pull request closed without merging',
  'branch-pushed': 'branch pushed for review',
  'up-to-date': 'already up to date',
  'dry-run': 'dry run',
  failed: 'failed',
  running: 'in progress',
  'pending-approval': 'waiting for approval',
  rejected: 'rejected',
  expired: 'expired',
};

/** The statuses of a change that ended without reaching Git. */
const REFUSED: ReadonlyArray<PromotionRecord['status']> = [
  'failed',
  'rejected',
  'expired',
];

/** The statuses of a change that reached the environment's branch. */
const LANDED: ReadonlyArray<PromotionRecord['status']> = [
  'committed',
  'pull-request-merged',
];

const short = (sha: string) => sha.slice(0, 7);

function PromotionLink(props: { promotion: PromotionRecord }) {
  const { promotion } = props;
  if (promotion.pullRequest) {
    return (
      <Link to={promotion.pullRequest.url}>
        #{promotion.pullRequest.number}
      </Link>
    );
  }
  if (promotion.commit?.url) {
    return <Link to={promotion.commit.url}>{short(promotion.commit.sha)}</Link>;
  }
  if (promotion.commit) return <code>{short(promotion.commit.sha)}</code>;
  return null;
}

/**
 * What a record did, in words: `dev → staging: committed` for a promotion,
 * `Rolled back production to abc1234` for a rollback that reached Git.
 * `shown` is the status to say, when it is not the recorded one.
 */
function headline(
  record: PromotionRecord,
  shown: PromotionRecord['status'] = record.status,
): string {
  const status = STATUS_WORDS[shown] ?? shown;
  if (record.kind !== 'rollback') {
    return `${record.from} → ${record.to}: ${status}`;
  }
  const to = record.restored ? ` to ${short(record.restored.commit)}` : '';
  return LANDED.includes(record.status)
    ? `Rolled back ${record.to}${to}`
    : `Rollback of ${record.to}${to}: ${status}`;
}

/**
 * One recorded promotion or rollback; a promotion that reached Git offers
 * to roll its target environment back to it, and one waiting for approval
 * shows who must approve and who decided, with Approve and Reject for the
 * users who may decide.
 */
export function PromotionItem(props: {
  entityRef: string;
  promotion: PromotionRecord;
  /** The promotion's target environment, when the page shows it. */
  environment?: Environment;
  onRolledBack: () => void;
  /** Opens the approve or reject dialog, which the list keeps. */
  onDecide: DecideApproval;
}) {
  const classes = useStyles();
  const { promotion, environment } = props;
  const rollback = promotion.kind === 'rollback';
  const commit = promotion.commit;
  const restorable =
    !rollback && commit && LANDED.includes(promotion.status) && environment;
  const pending = promotion.status === 'pending-approval';
  const approval = promotion.approval;
  // Its time ran out while the page was open: the backend refuses decisions
  // and expires it when it next looks, so it is shown expired already.
  const timedOut = pending && approvalExpired(approval);
  const status = timedOut ? 'expired' : promotion.status;
  return (
    <li
      className={[
        classes.item,
        REFUSED.includes(status) ? classes.failed : '',
        status === 'pending-approval' ? classes.waiting : '',
        rollback ? classes.rollback : '',
      ].join(' ')}
    >
      <div className={classes.text}>
        <Typography variant="body2">
          {headline(promotion, status)}
          {promotion.versions.length > 0 &&
            ` (${promotion.versions.map(v => shortenUri(v)).join(', ')})`}{' '}
          <PromotionLink promotion={promotion} />
        </Typography>
        <Typography variant="caption" className={classes.meta}>
          {humanizeRef(promotion.actor, 'user')} · {promotion.strategy} ·{' '}
          <Age timestamp={promotion.createdAt} />
          {promotion.status === 'failed' ? ` · ${promotion.message}` : ''}
        </Typography>
        {approval && <ApprovalSummary approval={approval} pending={pending} />}
      </div>
      {canDecideNow(promotion) && (
        <ApprovalButtons
          onDecide={decision => props.onDecide(promotion, decision)}
        />
      )}
      {restorable && (
        <RollbackButton
          entityRef={props.entityRef}
          environment={environment}
          to={{ promotionId: promotion.id }}
          label={short(commit.sha)}
          description={`Restores the model's manifests in ${
            environment.title
          } to what this promotion from ${promotion.from} left (${short(
            commit.sha,
          )}).`}
          onRolledBack={props.onRolledBack}
        />
      )}
    </li>
  );
}
