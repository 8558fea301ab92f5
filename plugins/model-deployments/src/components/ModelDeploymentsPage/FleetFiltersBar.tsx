import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormLabel from '@material-ui/core/FormLabel';
import Paper from '@material-ui/core/Paper';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import {
  DEPLOYMENT_PHASES,
  DeploymentPhase,
  FleetResponse,
  SyncState,
} from '@seed-mlops/plugin-model-deployments-common';
import { Dispatch, SetStateAction, useMemo } from 'react';
import { humanizeRef } from '../../utils/format';
import { SYNC_STATES } from '../common';
import { emptyFilters, FleetFilters } from './filterModels';
import { NativeSelect } from './NativeSelect';

const useStyles = makeStyles(theme => ({
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
}));

/** The fleet page's filters: search, owner, status, kind, sync, environments. */
export function FleetFiltersBar(props: {
  fleet: FleetResponse;
  filters: FleetFilters;
  onFiltersChange: Dispatch<SetStateAction<FleetFilters>>;
}) {
  const classes = useStyles();
  const { fleet, filters, onFiltersChange: setFilters } = props;

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
      // Every environment checked is stored as none, the filter's "show all".
      return {
        ...previous,
        environments: next.length === fleet.environments.length ? [] : next,
      };
    });
  const filtered = JSON.stringify(filters) !== JSON.stringify(emptyFilters);

  return (
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
        onChange={status => update({ status: status as DeploymentPhase | '' })}
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
        <Button onClick={() => setFilters(emptyFilters)}>Clear filters</Button>
      )}
    </Paper>
  );
}
