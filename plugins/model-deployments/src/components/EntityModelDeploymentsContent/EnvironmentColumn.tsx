import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import LockIcon from '@material-ui/icons/Lock';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import {
  EnvironmentFreeze,
  Environment,
  EnvironmentDeployments,
  EnvironmentError,
} from '@seed-mlops/plugin-model-deployments-common';
import { describeError } from '../../utils/errors';
import { Age, FreezeChip } from '../common';
import { DeploymentCard } from './DeploymentCard';
import { GitHistory } from './GitHistory';
import { GitProblems, GitSourceLine } from './GitSource';
import { PromoteButton } from './PromoteButton';

const useStyles = makeStyles(theme => ({
  column: {
    flex: '1 1 0',
    minWidth: 280,
    maxWidth: 480,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1.5),
  },
  header: {
    borderBottom: `1px solid ${theme.palette.divider}`,
    paddingBottom: theme.spacing(1),
  },
  titleRow: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    flexWrap: 'wrap',
  },
  location: {
    color: theme.palette.text.secondary,
    fontFamily: 'monospace',
  },
  empty: {
    color: theme.palette.text.secondary,
    padding: theme.spacing(2, 0),
    textAlign: 'center',
  },
  hint: {
    marginTop: theme.spacing(0.5),
  },
  staleNote: {
    color: theme.palette.text.secondary,
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
}));

function EnvironmentErrorAlert(props: {
  error: EnvironmentError;
  hasStaleData: boolean;
}) {
  const classes = useStyles();
  const { error } = props;
  const info = describeError(error);
  // Not an outage: the environment works, the user just may not see it.
  if (error.type === 'NOT_PERMITTED') {
    return (
      <Alert severity="info" icon={<LockIcon />}>
        <AlertTitle>{info.title}</AlertTitle>
        <Typography variant="body2">{error.message}</Typography>
        <Typography variant="body2" className={classes.hint}>
          {info.hint}
        </Typography>
      </Alert>
    );
  }
  return (
    <Alert severity={props.hasStaleData ? 'warning' : 'error'}>
      <AlertTitle>{info.title}</AlertTitle>
      <Typography variant="body2">
        {error.message}
        {error.statusCode ? ` (HTTP ${error.statusCode})` : ''}
      </Typography>
      <Typography variant="body2" className={classes.hint}>
        <strong>What to check:</strong> {info.hint}
      </Typography>
    </Alert>
  );
}

function WarningsNotice(props: { warnings: EnvironmentError[] }) {
  return (
    <Alert severity="warning" variant="outlined">
      <Typography variant="body2">
        Some resource kinds could not be read:
      </Typography>
      <ul style={{ margin: 0, paddingLeft: 16 }}>
        {props.warnings.map((warning, index) => (
          <li key={index}>
            <Typography variant="body2">
              {warning.resourceKind ? `${warning.resourceKind}: ` : ''}
              {describeError(warning).title}
              {warning.message ? ` — ${warning.message}` : ''}
            </Typography>
          </li>
        ))}
      </ul>
    </Alert>
  );
}

/** One environment of the pipeline with the entity's deployments in it. */
export function EnvironmentColumn(props: {
  data: EnvironmentDeployments;
  entityRef: string;
  /** The next stage, which this one promotes into. */
  next?: Environment;
  /** The next stage's freeze window, when one is on. */
  nextFrozen?: EnvironmentFreeze;
  /** Changes whenever a promotion or rollback was made here. */
  version: number;
  onPromoted: () => void;
}) {
  const classes = useStyles();
  const { environment, deployments, error, warnings, syncedAt, git, frozen } =
    props.data;
  const stale = Boolean(error) && deployments.length > 0;
  return (
    <section aria-label={environment.title} className={classes.column}>
      <header className={classes.header}>
        <div className={classes.titleRow}>
          <Typography variant="h6" component="h2">
            {environment.title}
          </Typography>
          {environment.restricted && (
            <Chip
              size="small"
              variant="outlined"
              icon={<LockIcon aria-hidden="true" />}
              label="restricted"
              title="Restricted environment: changes need approval"
            />
          )}
          {frozen && <FreezeChip frozen={frozen} />}
        </div>
        <Typography variant="body2" className={classes.location}>
          {environment.namespace
            ? `${environment.namespace} · ${environment.cluster}`
            : `${environment.cluster} (whole cluster)`}
        </Typography>
        {git && <GitSourceLine git={git} />}
      </header>
      {git && <GitProblems git={git} />}
      {error && <EnvironmentErrorAlert error={error} hasStaleData={stale} />}
      {warnings.length > 0 && <WarningsNotice warnings={warnings} />}
      {stale && (
        <div className={classes.staleNote}>
          <Chip size="small" label="stale" variant="outlined" />
          <Typography variant="body2" component="span">
            {syncedAt ? (
              <Age timestamp={syncedAt} prefix="last synced" />
            ) : (
              'last synced at an unknown time'
            )}
          </Typography>
        </div>
      )}
      {deployments.map(deployment => (
        <DeploymentCard
          key={deployment.uid ?? `${deployment.kind}/${deployment.name}`}
          deployment={deployment}
          stale={stale}
        />
      ))}
      {!error && deployments.length === 0 && (
        <Typography variant="body2" className={classes.empty}>
          Not deployed here
        </Typography>
      )}
      {!error && (
        <PromoteButton
          entityRef={props.entityRef}
          source={props.data}
          target={props.next}
          targetFrozen={props.nextFrozen}
          onPromoted={props.onPromoted}
        />
      )}
      {git && (
        <GitHistory
          entityRef={props.entityRef}
          environment={environment}
          version={props.version}
          onRolledBack={props.onPromoted}
        />
      )}
    </section>
  );
}
