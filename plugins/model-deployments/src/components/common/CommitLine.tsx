import { Link } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { GitCommit } from '@seed-mlops/plugin-model-deployments-common';
import { Age } from './Age';

const useStyles = makeStyles(theme => ({
  commit: {
    display: 'flex',
    flexDirection: 'column',
    minWidth: 0,
  },
  // Wraps rather than squeezing the summary to nothing in a narrow column.
  what: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    columnGap: theme.spacing(0.75),
    minWidth: 0,
  },
  sha: {
    fontFamily: 'monospace',
    flex: '0 0 auto',
  },
  action: {
    flex: '0 1 auto',
    minWidth: 0,
    overflowWrap: 'anywhere',
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  summary: {
    flex: '1 1 10em',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    minWidth: 0,
  },
  who: {
    color: theme.palette.text.secondary,
  },
}));

/**
 * One commit: short sha (linked to the Git host when known), Seldon's action
 * and message, who made it and when.
 */
export function CommitLine(props: { commit: GitCommit }) {
  const classes = useStyles();
  const { commit } = props;
  const short = commit.sha.slice(0, 7);
  const summary = commit.summary !== commit.action ? commit.summary : '';
  return (
    <div className={classes.commit} data-sha={commit.sha}>
      <Typography variant="body2" component="div" className={classes.what}>
        {commit.url ? (
          <Link
            to={commit.url}
            className={classes.sha}
            title={`Open commit ${commit.sha}`}
          >
            {short}
          </Link>
        ) : (
          <code className={classes.sha} title={commit.sha}>
            {short}
          </code>
        )}
        {commit.action && (
          <span className={classes.action}>{commit.action}</span>
        )}
        {summary && (
          <span className={classes.summary} title={summary}>
            {summary}
          </span>
        )}
      </Typography>
      <Typography variant="caption" className={classes.who}>
        {commit.author.name}
        {commit.requestedBy ? ` for ${commit.requestedBy.name}` : ''}
        {' · '}
        <Age timestamp={commit.committedAt} />
      </Typography>
    </div>
  );
}
