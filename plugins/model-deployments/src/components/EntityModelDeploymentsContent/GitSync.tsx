import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  ModelDeployment,
  SyncDifference,
} from '@seed-mlops/plugin-model-deployments-common';
import { CommitLine, SyncChip } from '../common';

const useStyles = makeStyles(theme => ({
  git: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    borderTop: `1px solid ${theme.palette.divider}`,
    paddingTop: theme.spacing(1),
  },
  row: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    minWidth: 0,
  },
  path: {
    fontFamily: 'monospace',
    color: theme.palette.text.secondary,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    minWidth: 0,
  },
  reason: {
    color: theme.palette.text.secondary,
    wordBreak: 'break-word',
  },
  diff: {
    '& > summary': {
      cursor: 'pointer',
      ...theme.typography.body2,
    },
  },
  differences: {
    listStyle: 'none',
    margin: theme.spacing(0.5, 0, 0),
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.75),
  },
  field: {
    fontFamily: 'monospace',
    fontSize: theme.typography.caption.fontSize,
    wordBreak: 'break-all',
  },
  value: {
    display: 'grid',
    gridTemplateColumns: '56px 1fr',
    gap: theme.spacing(0.5),
    fontSize: theme.typography.caption.fontSize,
    '& > span:last-child': {
      fontFamily: 'monospace',
      wordBreak: 'break-all',
    },
  },
  gitValue: {
    borderLeft: `3px solid ${theme.palette.success.main}`,
    paddingLeft: theme.spacing(0.5),
  },
  clusterValue: {
    borderLeft: `3px solid ${theme.palette.warning.main}`,
    paddingLeft: theme.spacing(0.5),
  },
}));

/** A value of a differing field, as text; a field one side lacks is "not set". */
export function formatFieldValue(value: unknown): string {
  if (value === undefined || value === null) return 'not set';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function Differences(props: { differences: SyncDifference[] }) {
  const classes = useStyles();
  const { differences } = props;
  return (
    // Open: drift is the one thing on the card that needs acting on.
    <details open className={classes.diff}>
      <summary>
        {`Git vs cluster: ${differences.length} field${
          differences.length === 1 ? '' : 's'
        } differ${differences.length === 1 ? 's' : ''}`}
      </summary>
      <ul className={classes.differences} aria-label="Git vs cluster">
        {differences.map(difference => (
          <li key={difference.field}>
            <div className={classes.field}>{difference.field}</div>
            <div className={`${classes.value} ${classes.gitValue}`}>
              <span>Git</span>
              <span>{formatFieldValue(difference.git)}</span>
            </div>
            <div className={`${classes.value} ${classes.clusterValue}`}>
              <span>Cluster</span>
              <span>{formatFieldValue(difference.cluster)}</span>
            </div>
          </li>
        ))}
      </ul>
    </details>
  );
}

/**
 * How a deployment compares with Git: the sync state, the manifest file,
 * the commit that last changed it and, when they differ, what differs.
 */
export function GitSync(props: { deployment: ModelDeployment }) {
  const classes = useStyles();
  const { sync, gitPath, lastCommit } = props.deployment;
  if (!sync) return null;
  return (
    <div className={classes.git}>
      <div className={classes.row}>
        <SyncChip state={sync.state} />
        {gitPath && (
          <Typography
            variant="caption"
            className={classes.path}
            title={gitPath}
          >
            {gitPath}
          </Typography>
        )}
      </div>
      {sync.state === 'Unknown' && sync.reason && (
        <Typography variant="caption" className={classes.reason}>
          {sync.reason}
        </Typography>
      )}
      {lastCommit && <CommitLine commit={lastCommit} />}
      {sync.state === 'OutOfSync' && (sync.differences?.length ?? 0) > 0 && (
        <Differences differences={sync.differences!} />
      )}
    </div>
  );
}
