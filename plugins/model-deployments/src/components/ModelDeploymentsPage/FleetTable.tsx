import { Link } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import WarningIcon from '@material-ui/icons/Warning';
import {
  EnvironmentError,
  EnvironmentStatus,
  ModelDeployment,
} from '@seed-mlops/plugin-model-deployments-common';
import { memo } from 'react';
import { describeError } from '../../utils/errors';
import { humanizeRef, shortVersionText, versionText } from '../../utils/format';
import { StatusChip, SyncChip, VisuallyHidden } from '../common';
import { IndexedModel } from './filterModels';

const useStyles = makeStyles(theme => ({
  container: {
    overflowX: 'auto',
  },
  modelCell: {
    minWidth: 200,
    verticalAlign: 'top',
  },
  cell: {
    minWidth: 160,
    verticalAlign: 'top',
  },
  owner: {
    color: theme.palette.text.secondary,
  },
  problem: {
    color: theme.palette.error.main,
  },
  envError: {
    color: theme.palette.error.main,
    display: 'block',
    fontWeight: 'normal',
  },
  envMeta: {
    color: theme.palette.text.secondary,
    display: 'block',
    fontWeight: 'normal',
  },
  deployment: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: 2,
    '& + &': {
      marginTop: theme.spacing(1),
    },
  },
  warning: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: 2,
    fontSize: theme.typography.caption.fontSize,
    color: theme.palette.warning.dark,
  },
  version: {
    fontFamily: 'monospace',
    fontSize: theme.typography.caption.fontSize,
    color: theme.palette.text.secondary,
    maxWidth: 220,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  absent: {
    color: theme.palette.text.secondary,
  },
}));

function DeploymentSummary(props: {
  deployment: ModelDeployment;
  showName: boolean;
}) {
  const classes = useStyles();
  const { deployment, showName } = props;
  const versions = deployment.versions.filter(v => versionText(v));
  const title = [
    `${deployment.kind} ${deployment.name}`,
    deployment.message,
    ...(deployment.warnings ?? []),
    ...versions.map(v => versionText(v)),
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <div className={classes.deployment} title={title}>
      <StatusChip phase={deployment.phase} />
      {/* Only what needs attention: an in-sync fleet stays quiet. */}
      {deployment.sync && deployment.sync.state !== 'InSync' && (
        <SyncChip state={deployment.sync.state} />
      )}
      {deployment.warnings && deployment.warnings.length > 0 && (
        <span
          className={classes.warning}
          role="img"
          aria-label={`${deployment.warnings.length} warning${
            deployment.warnings.length === 1 ? '' : 's'
          }: ${deployment.warnings.join('; ')}`}
        >
          <WarningIcon fontSize="inherit" aria-hidden="true" />
          Invalid
        </span>
      )}
      {showName && <Typography variant="caption">{deployment.name}</Typography>}
      {versions.length > 0 && (
        <span className={classes.version}>
          {versions.map(v => shortVersionText(v)).join(', ')}
        </span>
      )}
    </div>
  );
}

/** One model in one environment: its deployments, or why there are none. */
function FleetCell(props: {
  deployments: ModelDeployment[];
  notPermitted: boolean;
  /** The environment could not be read and never was: absence means nothing. */
  unreadable?: EnvironmentError;
}) {
  const classes = useStyles();
  const { deployments, unreadable } = props;
  if (props.notPermitted) {
    return (
      <span
        className={classes.absent}
        title="Your permissions do not include this model here"
      >
        Not permitted
      </span>
    );
  }
  if (deployments.length === 0 && unreadable) {
    const why = describeError(unreadable).title;
    return (
      <span className={classes.absent} title={unreadable.message}>
        <span aria-hidden="true">?</span>
        <VisuallyHidden>Unknown: {why}</VisuallyHidden>
      </span>
    );
  }
  if (deployments.length === 0) {
    return (
      <span className={classes.absent}>
        <span aria-hidden="true">—</span>
        <VisuallyHidden>Not deployed</VisuallyHidden>
      </span>
    );
  }
  return (
    <>
      {deployments.map(deployment => (
        <DeploymentSummary
          key={deployment.uid ?? `${deployment.kind}/${deployment.name}`}
          deployment={deployment}
          showName={deployments.length > 1}
        />
      ))}
    </>
  );
}

const FleetRow = memo(function FleetRowContent(props: {
  item: IndexedModel;
  environments: EnvironmentStatus[];
  link: string;
}) {
  const classes = useStyles();
  const { item, environments, link } = props;
  const { model } = item;
  return (
    <TableRow hover>
      {/* MUI gives a cell with a `component` the role "cell"; this one heads its row. */}
      <TableCell
        component="th"
        scope="row"
        role="rowheader"
        className={classes.modelCell}
      >
        <Link to={link}>{model.title}</Link>
        {model.owner && (
          <Typography variant="body2" className={classes.owner}>
            {humanizeRef(model.owner)}
          </Typography>
        )}
        {model.problem && (
          <Typography variant="caption" className={classes.problem}>
            {model.problem}
          </Typography>
        )}
      </TableCell>
      {environments.map(({ environment, error, syncedAt }) => {
        const deployments = item.byEnvironment.get(environment.name) ?? [];
        return (
          <TableCell key={environment.name} className={classes.cell}>
            <FleetCell
              deployments={deployments}
              notPermitted={
                model.notPermitted?.includes(environment.name) ?? false
              }
              unreadable={error && !syncedAt ? error : undefined}
            />
          </TableCell>
        );
      })}
    </TableRow>
  );
});

/** The fleet matrix: one row per model, one column per environment. */
export function FleetTable(props: {
  items: IndexedModel[];
  environments: EnvironmentStatus[];
  linkFor: (entityRef: string) => string;
}) {
  const classes = useStyles();
  const { items, environments, linkFor } = props;
  return (
    <div className={classes.container}>
      <Table size="small" aria-label="Model deployments by environment">
        <TableHead>
          <TableRow>
            <TableCell component="th" scope="col">
              Model
            </TableCell>
            {environments.map(({ environment, error, git }) => (
              <TableCell key={environment.name} component="th" scope="col">
                {environment.title}
                <span className={classes.envMeta}>
                  {environment.namespace ?? environment.cluster}
                  {environment.restricted ? ' · restricted' : ''}
                </span>
                {error && (
                  <span className={classes.envError} title={error.message}>
                    {describeError(error).title}
                  </span>
                )}
                {git?.error && (
                  <span className={classes.envError} title={git.error}>
                    Git cannot be read
                  </span>
                )}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map(item => (
            <FleetRow
              key={item.model.entityRef}
              item={item}
              environments={environments}
              link={linkFor(item.model.entityRef)}
            />
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
