import { makeStyles, Theme } from '@material-ui/core/styles';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HelpIcon from '@material-ui/icons/Help';
import SyncIcon from '@material-ui/icons/Sync';
import { DeploymentPhase } from '@seed-mlops/plugin-model-deployments-common';

// Static classes (no style functions): the fleet page renders hundreds of
// chips, and per-instance dynamic styles would be slow.
const useStyles = makeStyles((theme: Theme) => ({
  chip: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    padding: theme.spacing(0, 1, 0, 0.5),
    borderRadius: 12,
    border: `1px solid ${theme.palette.text.secondary}`,
    color: theme.palette.text.primary,
    fontSize: theme.typography.body2.fontSize,
    lineHeight: '22px',
    whiteSpace: 'nowrap',
  },
  icon: {
    fontSize: 16,
    color: theme.palette.text.secondary,
  },
  Ready: {
    borderColor: theme.palette.success.main,
    '& $icon': { color: theme.palette.success.main },
  },
  Progressing: {
    borderColor: theme.palette.warning.main,
    '& $icon': { color: theme.palette.warning.main },
  },
  Failed: {
    borderColor: theme.palette.error.main,
    '& $icon': { color: theme.palette.error.main },
  },
  Unknown: {},
}));

const ICONS: Record<DeploymentPhase, typeof CheckCircleIcon> = {
  Ready: CheckCircleIcon,
  Progressing: SyncIcon,
  Failed: ErrorIcon,
  Unknown: HelpIcon,
};

/**
 * The phase of a deployment: a coloured icon and always the phase word, so
 * the status never depends on colour alone.
 */
export function StatusChip(props: { phase: DeploymentPhase }) {
  const phase: DeploymentPhase = ICONS[props.phase] ? props.phase : 'Unknown';
  const classes = useStyles();
  const Icon = ICONS[phase];
  return (
    <span className={`${classes.chip} ${classes[phase]}`} data-phase={phase}>
      <Icon className={classes.icon} aria-hidden="true" />
      {phase}
    </span>
  );
}
