import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import WarningIcon from '@material-ui/icons/Warning';
import {
  EnvironmentError,
  FleetDeployment,
} from '@seed-mlops/plugin-model-deployments-common';
import { describeError } from '../../utils/errors';
import { shortVersionText, versionText } from '../../utils/format';
import { StatusChip, SyncChip, VisuallyHidden } from '../common';

const useStyles = makeStyles(theme => ({
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
  deployment: FleetDeployment;
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
export function FleetCell(props: {
  deployments: FleetDeployment[];
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
          key={`${deployment.kind}/${deployment.name}`}
          deployment={deployment}
          showName={deployments.length > 1}
        />
      ))}
    </>
  );
}
