import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HelpIcon from '@material-ui/icons/Help';
import PauseCircleFilledIcon from '@material-ui/icons/PauseCircleFilled';
import SyncIcon from '@material-ui/icons/Sync';
import { DeploymentPhase } from '@seed-mlops/plugin-model-deployments-common';
import { ChipTone, useChipStyles } from './chipStyles';

const PHASES: Record<
  DeploymentPhase,
  { icon: typeof CheckCircleIcon; tone: ChipTone }
> = {
  Ready: { icon: CheckCircleIcon, tone: 'success' },
  Progressing: { icon: SyncIcon, tone: 'warning' },
  Failed: { icon: ErrorIcon, tone: 'error' },
  // Switched off on purpose: grey, not an alarm.
  Stopped: { icon: PauseCircleFilledIcon, tone: 'neutral' },
  Unknown: { icon: HelpIcon, tone: 'neutral' },
};

/**
 * The phase of a deployment: a coloured icon and always the phase word, so
 * the status never depends on colour alone.
 */
export function StatusChip(props: { phase: DeploymentPhase }) {
  const phase: DeploymentPhase = PHASES[props.phase] ? props.phase : 'Unknown';
  const classes = useChipStyles();
  const { icon: Icon, tone } = PHASES[phase];
  return (
    <span className={`${classes.chip} ${classes[tone]}`} data-phase={phase}>
      <Icon className={classes.icon} aria-hidden="true" />
      {phase}
    </span>
  );
}
