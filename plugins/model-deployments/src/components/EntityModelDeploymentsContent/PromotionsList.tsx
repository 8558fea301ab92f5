import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import Skeleton from '@material-ui/lab/Skeleton';
import {
  ModelDeploymentsChange,
  modelDeploymentsEntityChannel,
  PromotionRecord,
} from '@seed-mlops/plugin-model-deployments-common';
import { useCallback, useEffect, useRef } from 'react';
import { modelDeploymentsApiRef } from '../../api';
import { useLiveData } from '../../hooks/useLiveData';
import { humanizeRef, shortenUri } from '../../utils/format';
import { Age } from '../common';

const useStyles = makeStyles(theme => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  },
  item: {
    borderLeft: `2px solid ${theme.palette.divider}`,
    paddingLeft: theme.spacing(1),
  },
  failed: {
    borderLeftColor: theme.palette.error.main,
  },
  meta: {
    color: theme.palette.text.secondary,
  },
}));

/**
 * The list follows the `promotions` signal only: a promotion changes the
 * deployments later, through Git, and the columns follow those signals.
 */
const PROMOTION_CHANGES: readonly ModelDeploymentsChange[] = ['promotions'];

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
};

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
    return (
      <Link to={promotion.commit.url}>{promotion.commit.sha.slice(0, 7)}</Link>
    );
  }
  if (promotion.commit) return <code>{promotion.commit.sha.slice(0, 7)}</code>;
  return null;
}

/**
 * The model's promotions, newest first. Reloaded when a promotion is made
 * here and, when the app has signals, when the entity's signals say the
 * promotions changed; it is not polled.
 */
export function PromotionsList(props: {
  entityRef: string;
  /** Changes whenever a promotion was made here, to reload. */
  version: number;
}) {
  const classes = useStyles();
  const api = useApi(modelDeploymentsApiRef);
  const { entityRef, version } = props;
  const load = useCallback(
    () => api.getPromotions(entityRef),
    [api, entityRef],
  );
  const { value, loading, error, refresh } = useLiveData({
    load,
    channel: modelDeploymentsEntityChannel(entityRef),
    changes: PROMOTION_CHANGES,
    intervalMs: 0,
  });
  // A new entity reloads through `load`; a new version reloads here.
  const loadedVersion = useRef(version);
  useEffect(() => {
    if (loadedVersion.current !== version) {
      loadedVersion.current = version;
      refresh();
    }
  }, [version, refresh]);
  return (
    <section aria-label="Promotions">
      <Typography variant="h6" component="h2" gutterBottom>
        Promotions
      </Typography>
      {loading && !value && <Skeleton variant="rect" height={48} />}
      {error && !value && (
        <Alert severity="warning">
          Cannot load the promotions: {error.message}
        </Alert>
      )}
      {error && value && (
        <Alert severity="warning">
          Refreshing the promotions failed, showing the last loaded ones:{' '}
          {error.message}
        </Alert>
      )}
      {value && value.promotions.length === 0 && (
        <Typography variant="body2" className={classes.meta}>
          No promotions yet. Promote a model from one environment to the next
          with the button under its column, or with the “Promote a model”
          template.
        </Typography>
      )}
      {value && value.promotions.length > 0 && (
        <ol className={classes.list}>
          {value.promotions.map(promotion => (
            <li
              key={promotion.id}
              className={`${classes.item} ${
                promotion.status === 'failed' ? classes.failed : ''
              }`}
            >
              <Typography variant="body2">
                {`${promotion.from} → ${promotion.to}: ${
                  STATUS_WORDS[promotion.status] ?? promotion.status
                }`}
                {promotion.versions.length > 0 &&
                  ` (${promotion.versions
                    .map(v => shortenUri(v))
                    .join(', ')})`}{' '}
                <PromotionLink promotion={promotion} />
              </Typography>
              <Typography variant="caption" className={classes.meta}>
                {humanizeRef(promotion.actor, 'user')} · {promotion.strategy} ·{' '}
                <Age timestamp={promotion.createdAt} />
                {promotion.status === 'failed' ? ` · ${promotion.message}` : ''}
              </Typography>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
