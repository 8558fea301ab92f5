import { ResponseErrorPanel } from '@backstage/core-components';
import IconButton from '@material-ui/core/IconButton';
import LinearProgress from '@material-ui/core/LinearProgress';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import RefreshIcon from '@material-ui/icons/Refresh';
import Alert from '@material-ui/lab/Alert';
import Skeleton from '@material-ui/lab/Skeleton';
import { EntityDeploymentsResponse } from '@seed-mlops/plugin-model-deployments-common';
import { useApi } from '@backstage/core-plugin-api';
import { Fragment, useCallback, useState } from 'react';
import { modelDeploymentsApiRef } from '../../api';
import { EnvironmentColumn } from './EnvironmentColumn';
import { NoDeploymentsState } from './NoDeploymentsState';
import { PromotionsList } from './PromotionsList';
import { useEntityDeployments } from '../../hooks/useEntityDeployments';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
  },
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    minHeight: 48,
  },
  toolbarText: {
    flex: 1,
    color: theme.palette.text.secondary,
  },
  progress: {
    width: 120,
  },
  pipeline: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    overflowX: 'auto',
    paddingBottom: theme.spacing(1),
  },
  arrow: {
    flex: '0 0 auto',
    alignSelf: 'flex-start',
    marginTop: theme.spacing(1),
    color: theme.palette.text.secondary,
  },
  skeletonColumn: {
    flex: '1 1 0',
    minWidth: 280,
  },
}));

/** Props of {@link EntityModelDeploymentsContent}. @public */
export interface EntityModelDeploymentsContentProps {
  /**
   * How often to refresh, in milliseconds; 0 disables auto refresh. Defaults
   * to `modelDeployments.ui.refreshIntervalSeconds` (30 seconds). Not used
   * when the app has signals: the view then updates live.
   */
  refreshIntervalMs?: number;
}

/** How the toolbar says the view stays current. */
function refreshText(live: boolean, intervalMs: number): string {
  if (live) return ', updated live';
  if (intervalMs > 0) {
    return `, refreshed every ${Math.round(intervalMs / 1000)} s`;
  }
  return '';
}

function LoadingSkeleton() {
  const classes = useStyles();
  return (
    <div className={classes.pipeline} data-testid="model-deployments-loading">
      {[0, 1, 2].map(i => (
        <div key={i} className={classes.skeletonColumn}>
          <Skeleton variant="text" width="40%" height={32} />
          <Skeleton variant="text" width="60%" />
          <Skeleton variant="rect" height={180} />
        </div>
      ))}
    </div>
  );
}

/** The columns of a loaded response. */
function Pipeline(props: {
  response: EntityDeploymentsResponse;
  version: number;
  onPromoted: () => void;
}) {
  const classes = useStyles();
  const { environments, entityRef } = props.response;
  return (
    <div className={classes.pipeline}>
      {environments.map((data, index) => (
        <Fragment key={data.environment.name}>
          {index > 0 && (
            <ArrowForwardIcon className={classes.arrow} aria-hidden="true" />
          )}
          <EnvironmentColumn
            data={data}
            entityRef={entityRef}
            next={environments[index + 1]?.environment}
            nextFrozen={environments[index + 1]?.frozen}
            version={props.version}
            onPromoted={props.onPromoted}
          />
        </Fragment>
      ))}
    </div>
  );
}

/**
 * The entity's model deployments in every environment, one column per
 * environment in stage order.
 *
 * @public
 */
export function EntityModelDeploymentsContent(
  props: EntityModelDeploymentsContentProps,
) {
  const classes = useStyles();
  const api = useApi(modelDeploymentsApiRef);
  const { value, error, loading, refresh, intervalMs, live } =
    useEntityDeployments(props.refreshIntervalMs);
  const [gitError, setGitError] = useState<Error>();
  const [promotions, setPromotions] = useState(0);
  const onPromoted = useCallback(() => {
    setPromotions(count => count + 1);
    refresh();
  }, [refresh]);
  const hasGit = value?.environments.some(e => e.git) ?? false;
  // The cluster view is reloaded at once; Git is fetched alongside, and the
  // view reloaded again when the fetch is done.
  const refreshAll = useCallback(() => {
    refresh();
    if (!hasGit) return;
    setGitError(undefined);
    api
      .refreshGit({ entityRef: value?.entityRef })
      .then(refresh, (e: unknown) =>
        setGitError(e instanceof Error ? e : new Error(String(e))),
      );
  }, [api, hasGit, refresh, value?.entityRef]);

  if (!value && error) {
    return <ResponseErrorPanel error={error} />;
  }

  const isEmpty =
    value !== undefined &&
    value.environments.every(
      e => e.deployments.length === 0 && !e.error && e.warnings.length === 0,
    );

  return (
    <div className={classes.root}>
      <div className={classes.toolbar}>
        <Typography variant="body2" className={classes.toolbarText}>
          {value
            ? `${value.environments.length} environment${
                value.environments.length === 1 ? '' : 's'
              }${refreshText(live, intervalMs)}`
            : 'Loading deployments…'}
        </Typography>
        {loading && value && (
          <LinearProgress
            className={classes.progress}
            aria-label="Refreshing deployments"
          />
        )}
        <Tooltip title={hasGit ? 'Refresh and fetch Git now' : 'Refresh'}>
          <IconButton aria-label="Refresh" onClick={refreshAll} size="small">
            <RefreshIcon />
          </IconButton>
        </Tooltip>
      </div>
      {value && error && (
        <Alert severity="warning">
          Refreshing failed, showing the last loaded data: {error.message}
        </Alert>
      )}
      {gitError && (
        <Alert severity="warning">
          Fetching Git failed: {gitError.message}
        </Alert>
      )}
      {!value && <LoadingSkeleton />}
      {value && isEmpty && <NoDeploymentsState />}
      {value && !isEmpty && (
        <Pipeline
          response={value}
          version={promotions}
          onPromoted={onPromoted}
        />
      )}
      {value && !isEmpty && (
        <PromotionsList
          entityRef={value.entityRef}
          version={promotions}
          environments={value.environments.map(e => e.environment)}
          onChanged={onPromoted}
        />
      )}
    </div>
  );
}
