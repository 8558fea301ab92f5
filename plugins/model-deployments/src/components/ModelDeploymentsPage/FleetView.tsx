import { EmptyState } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import LinearProgress from '@material-ui/core/LinearProgress';
import Paper from '@material-ui/core/Paper';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import RefreshIcon from '@material-ui/icons/Refresh';
import Alert from '@material-ui/lab/Alert';
import { FleetResponse } from '@seed-mlops/plugin-model-deployments-common';
import { useMemo, useState } from 'react';
import {
  emptyFilters,
  filterModels,
  FleetFilters,
  indexModels,
} from './filterModels';
import { FleetFiltersBar } from './FleetFiltersBar';
import { FleetTable } from './FleetTable';
import { useEntityLink } from './useEntityLink';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
  },
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  count: {
    flex: 1,
  },
  progress: {
    width: 120,
  },
}));

/**
 * A loaded fleet: its warnings, the filters, the count with the refresh
 * button, and the table of the models that match.
 */
export function FleetView(props: {
  fleet: FleetResponse;
  loading: boolean;
  refreshError?: Error;
  onRefresh: () => void;
}) {
  const classes = useStyles();
  const { fleet, loading, refreshError, onRefresh } = props;
  const [filters, setFilters] = useState<FleetFilters>(emptyFilters);
  const linkFor = useEntityLink();

  const indexed = useMemo(() => indexModels(fleet.models), [fleet.models]);
  const shownEnvironments = useMemo(
    () =>
      filters.environments.length === 0
        ? fleet.environments
        : fleet.environments.filter(e =>
            filters.environments.includes(e.environment.name),
          ),
    [fleet.environments, filters.environments],
  );
  const shownNames = useMemo(
    () => shownEnvironments.map(e => e.environment.name),
    [shownEnvironments],
  );
  const visible = useMemo(
    () => filterModels(indexed, filters, shownNames),
    [indexed, filters, shownNames],
  );

  if (fleet.models.length === 0) {
    return (
      <div className={classes.root}>
        <EmptyState
          missing="data"
          title="No models found"
          description="No catalog entity has model deployments yet. Annotate a model's catalog entity with model-deployments/name or model-deployments/selector, or label its resources with backstage.io/kubernetes-id."
        />
      </div>
    );
  }

  return (
    <div className={classes.root}>
      {refreshError && (
        <Alert severity="warning">
          Refreshing failed, showing the last loaded data:{' '}
          {refreshError.message}
        </Alert>
      )}
      {fleet.skipped?.map(skip => (
        <Alert
          key={`${skip.cluster}/${skip.namespace}`}
          severity="warning"
          aria-label="Namespace not taken as an environment"
        >
          Namespace {skip.namespace} on cluster {skip.cluster} is not taken as
          environment {skip.name}: {skip.reason}.
        </Alert>
      ))}
      <FleetFiltersBar
        fleet={fleet}
        filters={filters}
        onFiltersChange={setFilters}
      />
      <div className={classes.toolbar}>
        <Typography
          variant="body2"
          className={classes.count}
          aria-live="polite"
          data-testid="fleet-count"
        >
          {`${visible.length} of ${fleet.models.length} models`}
        </Typography>
        {loading && (
          <LinearProgress
            className={classes.progress}
            aria-label="Refreshing models"
          />
        )}
        <Tooltip title="Refresh">
          <IconButton aria-label="Refresh" onClick={onRefresh} size="small">
            <RefreshIcon />
          </IconButton>
        </Tooltip>
      </div>
      {visible.length === 0 ? (
        <EmptyState
          missing="data"
          title="No models match the filters"
          action={
            <Button variant="outlined" onClick={() => setFilters(emptyFilters)}>
              Clear filters
            </Button>
          }
        />
      ) : (
        <Paper variant="outlined">
          <FleetTable
            items={visible}
            environments={shownEnvironments}
            linkFor={linkFor}
          />
        </Paper>
      )}
    </div>
  );
}
