import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { EnvironmentGitState } from '@seed-mlops/plugin-model-deployments-common';
import { Age } from '../common';

const useStyles = makeStyles(theme => ({
  source: {
    color: theme.palette.text.secondary,
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: theme.spacing(1),
  },
  code: {
    fontFamily: 'monospace',
  },
  list: {
    margin: 0,
    paddingLeft: theme.spacing(2),
  },
  path: {
    fontFamily: 'monospace',
    wordBreak: 'break-all',
  },
}));

/** `https://host/org/ml-gitops.git` → `ml-gitops`. */
function repositoryName(repoUrl: string): string {
  const last = repoUrl.replace(/\/+$/, '').split(/[/:]/).pop() ?? repoUrl;
  return last.replace(/\.git$/, '') || repoUrl;
}

/** Where the environment's desired state is read from, and at which commit. */
export function GitSourceLine(props: { git: EnvironmentGitState }) {
  const classes = useStyles();
  const { git } = props;
  const where = `${repositoryName(git.repoUrl)}${
    git.path ? `/${git.path}` : ''
  }`;
  return (
    <Typography
      variant="body2"
      component="div"
      className={classes.source}
      title={`${git.repoUrl}${git.branch ? ` (branch ${git.branch})` : ''}${
        git.path ? `, folder ${git.path}` : ''
      }`}
    >
      <span>
        Git <span className={classes.code}>{where}</span>
        {git.commit && (
          <>
            {' @ '}
            <span className={classes.code}>{git.commit.slice(0, 7)}</span>
          </>
        )}
      </span>
      {git.fetchedAt && <Age timestamp={git.fetchedAt} prefix="fetched" />}
    </Typography>
  );
}

/** What went wrong reading the environment's Git source, if anything. */
export function GitProblems(props: { git: EnvironmentGitState }) {
  const classes = useStyles();
  const { git } = props;
  return (
    <>
      {git.error && (
        <Alert severity="warning">
          <AlertTitle>Git cannot be read</AlertTitle>
          <Typography variant="body2">{git.error}</Typography>
          <Typography variant="body2">
            {git.commit
              ? `Sync states use the last fetched commit, ${git.commit.slice(
                  0,
                  7,
                )}.`
              : 'Sync states are unknown until the repository can be fetched; the live state below is current.'}
          </Typography>
        </Alert>
      )}
      {git.fileErrors.length > 0 && (
        <Alert severity="warning" variant="outlined">
          <Typography variant="body2">
            {git.fileErrors.length === 1
              ? '1 file in Git could not be read; the others were:'
              : `${git.fileErrors.length} files in Git could not be read; the others were:`}
          </Typography>
          <ul className={classes.list}>
            {git.fileErrors.map(fileError => (
              <li key={fileError.path}>
                <Typography variant="body2">
                  <span className={classes.path}>{fileError.path}</span>
                  {`: ${fileError.message}`}
                </Typography>
              </li>
            ))}
          </ul>
        </Alert>
      )}
    </>
  );
}
