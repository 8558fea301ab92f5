import { EmptyState } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import LinearProgress from '@material-ui/core/LinearProgress';
import Paper from '@material-ui/core/Paper';
import TablePagination from '@material-ui/core/TablePagination';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import RefreshIcon from '@material-ui/icons/Refresh';
import Alert from '@material-ui/lab/Alert';
import { FleetResponse } from '@seed-mlops/plugin-model-deployments-common';
import { SetStateAction, useCallback, useMemo, useState } from 'react';
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

/** Models per page unless the app says otherwise. */
export const DEFAULT_FLEET_PAGE_SIZE = 50;

/**
 * A loaded fleet: its warnings, the filters, the count with the refresh
 * button, and the table of the models that match, a page at a time: a
 * page costs the same to render with ten models or ten thousand.
 */
export function FleetView(props: {
  fleet: FleetResponse;
  loading: boolean;
  refreshError?: Error;
  onRefresh: () => void;
  pageSize?: number;
}) {
  const classes = useStyles();
  const { fleet, loading, refreshError, onRefresh } = props;
  const [filters, setFiltersState] = useState<FleetFilters>(emptyFilters);
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(
    props.pageSize ?? DEFAULT_FLEET_PAGE_SIZE,
  );
  const setFilters = useCallback((next: SetStateAction<FleetFilters>) => {
    setFiltersState(next);
    setPage(0);
  }, []);
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
  // A live update can shrink the list below the page shown: show its last page.
  const lastPage = Math.max(0, Math.ceil(visible.length / pageSize) - 1);
  const shownPage = Math.min(page, lastPage);
  const pageItems = useMemo(
    () => visible.slice(shownPage * pageSize, (shownPage + 1) * pageSize),
    [visible, shownPage, pageSize],
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
            items={pageItems}
            environments={shownEnvironments}
            linkFor={linkFor}
          />
          {visible.length > pageSize && (
            <TablePagination
              component="div"
              count={visible.length}
              page={shownPage}
              rowsPerPage={pageSize}
              rowsPerPageOptions={pageSizeOptions(pageSize)}
              labelRowsPerPage="Models per page:"
              labelDisplayedRows={({ from, to, count }) =>
                `${from}–${to} of ${count}`
              }
              onPageChange={(_event, next) => setPage(next)}
              onRowsPerPageChange={event => {
                setPageSize(Number(event.target.value));
                setPage(0);
              }}
            />
          )}
        </Paper>
      )}
    </div>
  );
}

function pageSizeOptions(pageSize: number): number[] {
  return [...new Set([25, 50, 100, 250, pageSize])].sort((a, b) => a - b);
}
