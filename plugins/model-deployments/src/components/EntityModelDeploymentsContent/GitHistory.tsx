import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import HistoryIcon from '@material-ui/icons/History';
import Alert from '@material-ui/lab/Alert';
import {
  DeploymentHistoryResponse,
  Environment,
} from '@seed-mlops/plugin-model-deployments-common';
import { useCallback, useEffect, useState } from 'react';
import { modelDeploymentsApiRef } from '../../api';
import { CommitLine } from '../common';
import { RollbackButton } from './RollbackButton';

/** Commits per page of the history list. */
export const HISTORY_PAGE_SIZE = 10;

const useStyles = makeStyles(theme => ({
  history: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
  },
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    width: '100%',
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  },
  // The action under the commit: a column is too narrow for both on a line.
  item: {
    borderLeft: `2px solid ${theme.palette.divider}`,
    paddingLeft: theme.spacing(1),
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: theme.spacing(0.5),
  },
  commit: {
    width: '100%',
    minWidth: 0,
  },
  note: {
    color: theme.palette.text.secondary,
  },
  progress: {
    width: '100%',
  },
}));

type Commits = DeploymentHistoryResponse['commits'];

/** Props of {@link GitHistory}. */
interface GitHistoryProps {
  entityRef: string;
  environment: Environment;
  /** Changes whenever a promotion or rollback was made here, to reload. */
  version: number;
  /** Called when a rollback started here succeeded. */
  onRolledBack: () => void;
}

function HistoryList(props: GitHistoryProps) {
  const classes = useStyles();
  const api = useApi(modelDeploymentsApiRef);
  const { entityRef, version } = props;
  const environment = props.environment.name;
  const [commits, setCommits] = useState<Commits>([]);
  const [page, setPage] = useState<DeploymentHistoryResponse>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<Error>();

  const load = useCallback(
    (offset: number) => {
      setLoading(true);
      setError(undefined);
      api
        .getHistory({
          entityRef,
          environment,
          offset,
          limit: HISTORY_PAGE_SIZE,
        })
        .then(
          response => {
            // A new head commit restarts the list rather than mixing histories.
            setCommits(previous =>
              offset === 0 || response.headCommit !== page?.headCommit
                ? response.commits
                : [...previous, ...response.commits],
            );
            setPage(response);
          },
          (e: unknown) =>
            setError(e instanceof Error ? e : new Error(String(e))),
        )
        .finally(() => setLoading(false));
    },
    [api, entityRef, environment, page?.headCommit],
  );

  useEffect(() => {
    load(0);
    // Loads the first page once and after a change made here; later pages
    // on demand.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [entityRef, environment, version]);

  const more = page ? page.totalCount > commits.length : false;
  return (
    <>
      {commits.length > 0 && (
        <ol
          className={classes.list}
          aria-label={`Git history in ${props.environment.title}`}
        >
          {commits.map((commit, index) => (
            <li key={commit.sha} className={classes.item}>
              <div className={classes.commit}>
                <CommitLine commit={commit} />
              </div>
              {/* The newest commit is what Git holds: nothing to roll back. */}
              {index > 0 && (
                <RollbackButton
                  entityRef={entityRef}
                  environment={props.environment}
                  to={{ commit: commit.sha }}
                  label={commit.sha.slice(0, 7)}
                  description={`Restores the model's manifests in ${
                    props.environment.title
                  } to what they were at commit ${commit.sha.slice(0, 7)}.`}
                  onRolledBack={props.onRolledBack}
                />
              )}
            </li>
          ))}
        </ol>
      )}
      {loading && (
        <LinearProgress
          className={classes.progress}
          aria-label="Loading Git history"
        />
      )}
      {error && (
        <Alert severity="error">
          Cannot load the Git history: {error.message}
        </Alert>
      )}
      {page?.message && commits.length === 0 && (
        <Typography variant="body2" className={classes.note}>
          {page.message}
        </Typography>
      )}
      {more && !loading && (
        <Button size="small" onClick={() => load(commits.length)}>
          Show older commits
        </Button>
      )}
      {page && !more && !page.complete && commits.length > 0 && (
        <Typography variant="caption" className={classes.note}>
          Older commits are beyond the history kept (gitops.historyDepth).
        </Typography>
      )}
    </>
  );
}

/**
 * The commits that changed the entity's manifests in one environment, loaded
 * when the user opens the list, then page by page; each but the newest can
 * be rolled back to.
 */
export function GitHistory(props: GitHistoryProps) {
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  return (
    <div className={classes.history}>
      <Button
        size="small"
        startIcon={<HistoryIcon />}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {open ? 'Hide Git history' : 'Git history'}
      </Button>
      {open && <HistoryList {...props} />}
    </div>
  );
}
