import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Skeleton from '@material-ui/lab/Skeleton';
import { EnvironmentDeployments } from '@seed-mlops/plugin-model-deployments-common';
import { describeError } from '../../utils/errors';
import { shortVersionText, versionText } from '../../utils/format';
import { FreezeChip, StatusChip } from '../common';
import { useEntityDeployments } from '../../hooks/useEntityDeployments';

const useStyles = makeStyles(theme => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  row: {
    display: 'grid',
    gridTemplateColumns: 'minmax(96px, 1fr) 3fr',
    gap: theme.spacing(1),
    alignItems: 'start',
    padding: theme.spacing(1, 0),
    '& + &': {
      borderTop: `1px solid ${theme.palette.divider}`,
    },
  },
  deployments: {
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    minWidth: 0,
  },
  deployment: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    minWidth: 0,
  },
  version: {
    fontFamily: 'monospace',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  muted: {
    color: theme.palette.text.secondary,
  },
  error: {
    color: theme.palette.error.main,
  },
}));

/** Props of {@link EntityModelDeploymentsCard}. @public */
export interface EntityModelDeploymentsCardProps {
  /** Link to the deployments tab; defaults to `./model-deployments`. */
  deploymentsTabPath?: string;
  /**
   * Auto refresh interval in milliseconds; 0 disables it. Not used when the
   * app has signals: the view then updates live.
   */
  refreshIntervalMs?: number;
}

function EnvironmentRow(props: { data: EnvironmentDeployments }) {
  const classes = useStyles();
  const { environment, deployments, error, frozen } = props.data;
  return (
    <li className={classes.row} aria-label={environment.title}>
      <Typography variant="body2" component="span">
        <strong>{environment.title}</strong>
        {frozen && (
          <>
            {' '}
            <FreezeChip frozen={frozen} compact />
          </>
        )}
      </Typography>
      <div className={classes.deployments}>
        {error && (
          <Typography
            variant="body2"
            // Not being allowed to look is not a failure of the environment.
            className={
              error.type === 'NOT_PERMITTED' ? classes.muted : classes.error
            }
            title={error.message}
          >
            {describeError(error).title}
            {deployments.length > 0 ? ' (showing last known)' : ''}
          </Typography>
        )}
        {deployments.map(deployment => {
          const first = deployment.versions.find(v => versionText(v));
          return (
            <div
              key={deployment.uid ?? `${deployment.kind}/${deployment.name}`}
              className={classes.deployment}
            >
              <StatusChip phase={deployment.phase} />
              {first ? (
                <Typography
                  variant="body2"
                  component="span"
                  className={classes.version}
                  title={versionText(first)}
                >
                  {shortVersionText(first)}
                  {deployment.versions.length > 1
                    ? ` +${deployment.versions.length - 1}`
                    : ''}
                </Typography>
              ) : (
                <Typography variant="body2" className={classes.muted}>
                  {deployment.name}
                </Typography>
              )}
            </div>
          );
        })}
        {!error && deployments.length === 0 && (
          <Typography variant="body2" className={classes.muted}>
            Not deployed
          </Typography>
        )}
      </div>
    </li>
  );
}

/**
 * Overview card: one compact row per environment with the status and version
 * of the entity's deployments there.
 *
 * @public
 */
export function EntityModelDeploymentsCard(
  props: EntityModelDeploymentsCardProps,
) {
  const classes = useStyles();
  const { value, error } = useEntityDeployments(props.refreshIntervalMs);

  let content: JSX.Element;
  if (!value && error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!value) {
    content = (
      <div data-testid="model-deployments-card-loading">
        <Skeleton variant="text" />
        <Skeleton variant="text" />
        <Skeleton variant="text" />
      </div>
    );
  } else if (value.environments.length === 0) {
    content = (
      <Typography variant="body2" className={classes.muted}>
        No environments are configured.
      </Typography>
    );
  } else {
    content = (
      <ul className={classes.list} aria-label="Deployments by environment">
        {value.environments.map(data => (
          <EnvironmentRow key={data.environment.name} data={data} />
        ))}
      </ul>
    );
  }

  return (
    <InfoCard
      title="Deployments"
      deepLink={{
        title: 'View deployments',
        link: props.deploymentsTabPath ?? './model-deployments',
      }}
    >
      {content}
    </InfoCard>
  );
}
