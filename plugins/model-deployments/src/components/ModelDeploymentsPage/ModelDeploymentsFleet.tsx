import { ResponseErrorPanel } from '@backstage/core-components';
import { makeStyles } from '@material-ui/core/styles';
import Skeleton from '@material-ui/lab/Skeleton';
import { useCallback, useMemo } from 'react';
import { FleetView } from './FleetView';
import { PendingApprovals } from './PendingApprovals';
import { useFleet } from './useFleet';
import { usePendingApprovals } from './usePendingApprovals';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
  },
}));

/**
 * The fleet page content without the page chrome: the promotions waiting
 * for approval, then the fleet. Each loads and fails on its own.
 */
export function ModelDeploymentsFleet(props: {
  refreshIntervalMs?: number;
  pageSize?: number;
}) {
  const classes = useStyles();
  const approvals = usePendingApprovals();
  const refreshApprovals = approvals.refresh;
  // The approvals follow the fleet's tick: its poll, signals and Refresh.
  const { value, error, loading, refresh } = useFleet(
    props.refreshIntervalMs,
    refreshApprovals,
  );
  const titles = useMemo(
    () => new Map(value?.models.map(m => [m.entityRef, m.title]) ?? []),
    [value],
  );
  // A decision changes the approvals and, once it runs a promotion, the
  // fleet; reloading the fleet reloads the approvals too.
  const onDecided = useCallback(() => refresh(), [refresh]);

  let fleet;
  if (!value && error) {
    fleet = <ResponseErrorPanel error={error} />;
  } else if (!value) {
    fleet = (
      <div data-testid="model-deployments-fleet-loading">
        <Skeleton variant="rect" height={72} />
        {[0, 1, 2, 3, 4].map(i => (
          <Skeleton key={i} variant="text" height={40} />
        ))}
      </div>
    );
  } else {
    fleet = (
      <FleetView
        fleet={value}
        loading={loading}
        refreshError={error}
        onRefresh={refresh}
        pageSize={props.pageSize}
      />
    );
  }
  return (
    <div className={classes.root}>
      <PendingApprovals
        approvals={approvals}
        titles={titles}
        onDecided={onDecided}
      />
      {fleet}
    </div>
  );
}
