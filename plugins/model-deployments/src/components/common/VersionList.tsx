import { CopyTextButton } from '@backstage/core-components';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ModelVersion } from '@seed-mlops/plugin-model-deployments-common';
import { shortVersionText, versionText } from '../../utils/format';

const useStyles = makeStyles(theme => ({
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  item: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    minWidth: 0,
  },
  component: {
    color: theme.palette.text.secondary,
    whiteSpace: 'nowrap',
  },
  uri: {
    fontFamily: 'monospace',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    minWidth: 0,
  },
}));

/**
 * The versions of a deployment: each model URI (or image) shortened to its
 * last path segments, the full value on hover and a copy button.
 */
export function VersionList(props: { versions: ModelVersion[] }) {
  const classes = useStyles();
  const versions = props.versions.filter(v => versionText(v));
  if (versions.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No version reported
      </Typography>
    );
  }
  return (
    <ul className={classes.list} aria-label="Versions">
      {versions.map((version, index) => {
        const full = versionText(version)!;
        return (
          <li key={`${version.component}-${index}`} className={classes.item}>
            {versions.length > 1 && (
              <Typography variant="body2" className={classes.component}>
                {version.component}:
              </Typography>
            )}
            <Tooltip title={full}>
              <Typography
                variant="body2"
                component="span"
                className={classes.uri}
                tabIndex={0}
                data-full-version={full}
              >
                {shortVersionText(version)}
              </Typography>
            </Tooltip>
            <CopyTextButton
              text={full}
              aria-label={`Copy version ${full}`}
              tooltipText="Version copied"
            />
          </li>
        );
      })}
    </ul>
  );
}
