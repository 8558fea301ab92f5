import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import HistoryIcon from '@material-ui/icons/History';
import Alert from '@material-ui/lab/Alert';
import { DeploymentHistoryResponse } from '@seed-mlops/plugin-model-deployments-common';
import { useCallback, useEffect, useState } from 'react';
import { modelDeploymentsApiRef } from '../../api';
import { CommitLine } from '../common';

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
  item: {
    borderLeft: `2px solid ${theme.palette.divider}`,
    paddingLeft: theme.spacing(1),
  },
  note: {
    color: theme.palette.text.secondary,
  },
  progress: {
    width: '100%',
  },
}));

type Commits = DeploymentHistoryResponse['commits'];

function HistoryList(props: {
  entityRef: string;
  environment: string;
  environmentTitle: string;
}) {
  const classes = useStyles();
  const api = useApi(modelDeploymentsApiRef);
  const { entityRef, environment } = props;
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
    // Loads the first page once; later pages on demand.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [entityRef, environment]);

  const more = page ? page.totalCount > commits.length : false;
  return (
    <>
      {commits.length > 0 && (
        <ol
          className={classes.list}
          aria-label={`Git history in ${props.environmentTitle}`}
        >
          {commits.map(commit => (
            <li key={commit.sha} className={classes.item}>
              <CommitLine commit={commit} />
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
 * when the user opens the list, then page by page.
 */
export function GitHistory(props: {
  entityRef: string;
  environment: string;
  environmentTitle: string;
}) {
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
