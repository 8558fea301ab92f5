import {
  Content,
  EmptyState,
  Header,
  Page,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormLabel from '@material-ui/core/FormLabel';
import IconButton from '@material-ui/core/IconButton';
import LinearProgress from '@material-ui/core/LinearProgress';
import Paper from '@material-ui/core/Paper';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import RefreshIcon from '@material-ui/icons/Refresh';
import Alert from '@material-ui/lab/Alert';
import Skeleton from '@material-ui/lab/Skeleton';
import {
  DEPLOYMENT_PHASES,
  DeploymentPhase,
  FleetResponse,
  SyncState,
} from '@seed-mlops/plugin-model-deployments-common';
import { ChangeEvent, useCallback, useMemo, useState } from 'react';
import { modelDeploymentsApiRef } from '../../api';
import { usePolledData } from '../../hooks/usePolledData';
import { useRefreshInterval } from '../../hooks/useRefreshInterval';
import { humanizeRef } from '../../utils/format';
import { SYNC_STATES } from '../common';
import {
  emptyFilters,
  filterModels,
  FleetFilters,
  indexModels,
} from './filterModels';
import { FleetTable } from './FleetTable';
import { useEntityLink } from './useEntityLink';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
  },
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    gap: theme.spacing(2),
    padding: theme.spacing(2),
  },
  search: {
    minWidth: 240,
    flex: '1 1 240px',
  },
  select: {
    minWidth: 160,
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

/** Props of {@link ModelDeploymentsPage}. @public */
export interface ModelDeploymentsPageProps {
  /** Auto refresh interval in milliseconds; 0 disables it. */
  refreshIntervalMs?: number;
  /** Hide the page header, e.g. when the app already shows one. */
  noHeader?: boolean;
}

function NativeSelect(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: Array<{ value: string; label: string }>;
  allLabel: string;
}) {
  const classes = useStyles();
  return (
    <TextField
      select
      id={props.id}
      label={props.label}
      value={props.value}
      onChange={(event: ChangeEvent<HTMLInputElement>) =>
        props.onChange(event.target.value)
      }
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      className={classes.select}
    >
      <option value="">{props.allLabel}</option>
      {props.options.map(option => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </TextField>
  );
}

function FleetView(props: {
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
  const owners = useMemo(
    () =>
      Array.from(
        new Set(fleet.models.flatMap(m => (m.owner ? [m.owner] : []))),
      ).sort((a, b) => humanizeRef(a).localeCompare(humanizeRef(b))),
    [fleet.models],
  );
  const kinds = useMemo(
    () =>
      Array.from(
        new Set(fleet.models.flatMap(m => m.deployments.map(d => d.kind))),
      ).sort(),
    [fleet.models],
  );
  const hasGit = fleet.environments.some(e => e.git);
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

  const update = (patch: Partial<FleetFilters>) =>
    setFilters(previous => ({ ...previous, ...patch }));
  const toggleEnvironment = (name: string, checked: boolean) =>
    setFilters(previous => {
      const current =
        previous.environments.length === 0
          ? fleet.environments.map(e => e.environment.name)
          : previous.environments;
      const next = checked
        ? [...current, name]
        : current.filter(n => n !== name);
      return {
        ...previous,
        environments: next.length === fleet.environments.length ? [] : next,
      };
    });
  const filtered = JSON.stringify(filters) !== JSON.stringify(emptyFilters);

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
      <Paper
        variant="outlined"
        className={classes.filters}
        role="search"
        aria-label="Filter models"
      >
        <TextField
          id="model-deployments-filter-text"
          type="search"
          label="Search"
          placeholder="Title, name, owner or version"
          value={filters.text}
          onChange={event => update({ text: event.target.value })}
          className={classes.search}
          InputLabelProps={{ shrink: true }}
        />
        <NativeSelect
          id="model-deployments-filter-owner"
          label="Owner"
          value={filters.owner}
          onChange={owner => update({ owner })}
          allLabel="All owners"
          options={owners.map(o => ({ value: o, label: humanizeRef(o) }))}
        />
        <NativeSelect
          id="model-deployments-filter-status"
          label="Status"
          value={filters.status}
          onChange={status =>
            update({ status: status as DeploymentPhase | '' })
          }
          allLabel="Any status"
          options={DEPLOYMENT_PHASES.map(p => ({ value: p, label: p }))}
        />
        <NativeSelect
          id="model-deployments-filter-resource-kind"
          label="Resource kind"
          value={filters.kind}
          onChange={kind => update({ kind })}
          allLabel="Any kind"
          options={kinds.map(k => ({ value: k, label: k }))}
        />
        {hasGit && (
          <NativeSelect
            id="model-deployments-filter-sync"
            label="Git sync"
            value={filters.sync}
            onChange={sync => update({ sync: sync as SyncState | '' })}
            allLabel="Any sync state"
            options={(Object.keys(SYNC_STATES) as SyncState[]).map(state => ({
              value: state,
              label: SYNC_STATES[state].label,
            }))}
          />
        )}
        <FormControl component="fieldset">
          <FormLabel component="legend">Environments</FormLabel>
          <FormGroup row>
            {fleet.environments.map(({ environment }) => (
              <FormControlLabel
                key={environment.name}
                control={
                  <Checkbox
                    size="small"
                    checked={
                      filters.environments.length === 0 ||
                      filters.environments.includes(environment.name)
                    }
                    onChange={event =>
                      toggleEnvironment(environment.name, event.target.checked)
                    }
                  />
                }
                label={environment.title}
              />
            ))}
          </FormGroup>
        </FormControl>
        {filtered && (
          <Button onClick={() => setFilters(emptyFilters)}>
            Clear filters
          </Button>
        )}
      </Paper>
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

/** The fleet page content without the page chrome. */
export function ModelDeploymentsFleet(props: { refreshIntervalMs?: number }) {
  const api = useApi(modelDeploymentsApiRef);
  const intervalMs = useRefreshInterval(props.refreshIntervalMs);
  const load = useCallback(() => api.getFleet(), [api]);
  const { value, error, loading, refresh } = usePolledData(load, intervalMs);

  if (!value && error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (!value) {
    return (
      <div data-testid="model-deployments-fleet-loading">
        <Skeleton variant="rect" height={72} />
        {[0, 1, 2, 3, 4].map(i => (
          <Skeleton key={i} variant="text" height={40} />
        ))}
      </div>
    );
  }
  return (
    <FleetView
      fleet={value}
      loading={loading}
      refreshError={error}
      onRefresh={refresh}
    />
  );
}

/**
 * The fleet page: every model in every environment, with filters.
 *
 * @public
 */
export function ModelDeploymentsPage(props: ModelDeploymentsPageProps) {
  const content = (
    <ModelDeploymentsFleet refreshIntervalMs={props.refreshIntervalMs} />
  );
  if (props.noHeader) {
    return content;
  }
  return (
    <Page themeId="tool">
      <Header
        title="Model deployments"
        subtitle="Every model in every environment"
      />
      <Content>{content}</Content>
    </Page>
  );
}
