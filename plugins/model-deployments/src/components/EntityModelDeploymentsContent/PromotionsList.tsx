import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import Skeleton from '@material-ui/lab/Skeleton';
import {
  Environment,
  ModelDeploymentsChange,
  modelDeploymentsEntityChannel,
} from '@seed-mlops/plugin-model-deployments-common';
import { useCallback, useEffect, useRef } from 'react';
import { modelDeploymentsApiRef } from '../../api';
import { useLiveData } from '../../hooks/useLiveData';
import { useApprovalDialog } from '../approvals';
import { PromotionItem } from './PromotionItem';

const useStyles = makeStyles(theme => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
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

/**
 * The model's promotions and rollbacks, newest first. Reloaded when a
 * promotion, rollback or approval decision is made here and, when the app
 * has signals, when the entity's signals say the promotions changed; it is
 * not polled.
 */
export function PromotionsList(props: {
  entityRef: string;
  /** Changes whenever a promotion or rollback was made here, to reload. */
  version: number;
  /** The page's environments, which promotions can be rolled back in. */
  environments: Environment[];
  /**
   * Called when a rollback or an approval decision made here succeeded, and
   * when the backend refused a decision (the promotion changed meanwhile):
   * the page reloads the deployments, and this list through `version`.
   */
  onChanged: () => void;
}) {
  const classes = useStyles();
  const api = useApi(modelDeploymentsApiRef);
  const { entityRef, version, onChanged } = props;
  const approvals = useApprovalDialog(onChanged);
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
            <PromotionItem
              key={promotion.id}
              entityRef={entityRef}
              promotion={promotion}
              environment={props.environments.find(
                e => e.name === promotion.to,
              )}
              onRolledBack={onChanged}
              onDecide={approvals.decide}
            />
          ))}
        </ol>
      )}
      {approvals.dialog}
    </section>
  );
}
