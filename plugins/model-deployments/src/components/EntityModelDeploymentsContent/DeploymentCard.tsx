import { CopyTextButton } from '@backstage/core-components';
import Alert from '@material-ui/lab/Alert';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ModelDeployment } from '@seed-mlops/plugin-model-deployments-common';
import { Age, StatusChip, VersionList } from '../common';
import { GitSync } from './GitSync';
import { TrafficBar } from './TrafficBar';

const useStyles = makeStyles(theme => ({
  card: {
    padding: theme.spacing(1.5),
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  },
  stale: {
    opacity: 0.75,
    borderStyle: 'dashed',
  },
  header: {
    display: 'flex',
    alignItems: 'flex-start',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
  },
  title: {
    wordBreak: 'break-word',
  },
  kind: {
    color: theme.palette.text.secondary,
    display: 'block',
  },
  message: {
    color: theme.palette.text.secondary,
    wordBreak: 'break-word',
  },
  row: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    minWidth: 0,
  },
  label: {
    color: theme.palette.text.secondary,
    minWidth: 64,
  },
  endpoint: {
    fontFamily: 'monospace',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    minWidth: 0,
  },
}));

function replicasText(deployment: ModelDeployment): string | undefined {
  const { availableReplicas, desiredReplicas } = deployment;
  if (desiredReplicas === undefined && availableReplicas === undefined) {
    return undefined;
  }
  // What the resource does not state stays unstated: a dash, never 0.
  return `${availableReplicas ?? '—'}/${desiredReplicas ?? '—'} replicas`;
}

/** The Seldon Core 2 Server a Model asks for, and its state when known. */
function ServerLine(props: { server: NonNullable<ModelDeployment['server']> }) {
  const { server } = props;
  const classes = useStyles();
  return (
    <div className={classes.row}>
      <Typography variant="body2" className={classes.label}>
        Server
      </Typography>
      <Typography variant="body2" component="span">
        {server.name}
      </Typography>
      {server.phase && <StatusChip phase={server.phase} />}
      {server.phase && server.phase !== 'Ready' && server.message && (
        <Typography variant="caption" className={classes.message}>
          {server.message}
        </Typography>
      )}
    </div>
  );
}

/** One model-serving resource in one environment. */
export function DeploymentCard(props: {
  deployment: ModelDeployment;
  stale?: boolean;
}) {
  const classes = useStyles();
  const { deployment, stale } = props;
  const replicas = replicasText(deployment);
  return (
    <Paper
      component="article"
      variant="outlined"
      aria-label={`${deployment.kind} ${deployment.name}`}
      className={`${classes.card} ${stale ? classes.stale : ''}`}
    >
      <div className={classes.header}>
        <div className={classes.title}>
          <Typography variant="caption" className={classes.kind}>
            {deployment.kind}
          </Typography>
          <Typography variant="subtitle1" component="h3">
            {deployment.name}
          </Typography>
        </div>
        <StatusChip phase={deployment.phase} />
      </div>
      {deployment.phase !== 'Ready' && deployment.message && (
        <Typography variant="body2" className={classes.message}>
          {deployment.message}
        </Typography>
      )}
      {deployment.warnings && deployment.warnings.length > 0 && (
        <Alert
          severity="warning"
          aria-label={`Warnings about ${deployment.name}`}
        >
          {deployment.warnings.map(warning => (
            <div key={warning}>{warning}</div>
          ))}
        </Alert>
      )}
      {replicas && <Typography variant="body2">{replicas}</Typography>}
      {deployment.server && <ServerLine server={deployment.server} />}
      <VersionList versions={deployment.versions} />
      <TrafficBar traffic={deployment.traffic} />
      {deployment.endpoint && (
        <div className={classes.row}>
          <Typography variant="body2" className={classes.label}>
            Endpoint
          </Typography>
          <Typography
            variant="body2"
            component="span"
            className={classes.endpoint}
            title={deployment.endpoint.url}
          >
            {deployment.endpoint.url}
          </Typography>
          <CopyTextButton
            text={deployment.endpoint.url}
            aria-label={`Copy endpoint of ${deployment.name}`}
            tooltipText="Endpoint copied"
          />
        </div>
      )}
      {deployment.endpoint?.headers &&
        Object.keys(deployment.endpoint.headers).length > 0 && (
          <Typography variant="caption" className={classes.message}>
            {`Headers: ${Object.entries(deployment.endpoint.headers)
              .map(([key, value]) => `${key}: ${value}`)
              .join(', ')}`}
          </Typography>
        )}
      {(deployment.updatedAt ?? deployment.createdAt) && (
        <Typography variant="body2" color="textSecondary">
          <Age
            timestamp={deployment.updatedAt ?? deployment.createdAt}
            prefix={deployment.updatedAt ? 'Updated' : 'Created'}
          />
        </Typography>
      )}
      <GitSync deployment={deployment} />
    </Paper>
  );
}
