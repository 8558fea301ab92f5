import CallSplitIcon from '@material-ui/icons/CallSplit';
import CheckCircleOutlineIcon from '@material-ui/icons/CheckCircleOutline';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import PanToolIcon from '@material-ui/icons/PanTool';
import { SyncState } from '@seed-mlops/plugin-model-deployments-common';
import { ChipTone, useChipStyles } from './chipStyles';

/** Words and colours of each sync state; the label alone must say it. */
export const SYNC_STATES: Record<
  SyncState,
  {
    label: string;
    description: string;
    icon: typeof CheckCircleOutlineIcon;
    tone: ChipTone;
  }
> = {
  InSync: {
    label: 'In sync',
    description: 'The cluster runs what Git declares.',
    icon: CheckCircleOutlineIcon,
    tone: 'success',
  },
  OutOfSync: {
    label: 'Out of sync',
    description: 'The cluster differs from Git in the fields listed below.',
    icon: CallSplitIcon,
    tone: 'warning',
  },
  MissingInCluster: {
    label: 'Not applied',
    description:
      'In Git, not in the cluster yet: the sync tool has not applied it.',
    icon: HourglassEmptyIcon,
    tone: 'info',
  },
  NotInGit: {
    label: 'Not in Git',
    description:
      'In the cluster, not in Git: applied by hand or by another tool, and lost if the environment is rebuilt from Git.',
    icon: PanToolIcon,
    tone: 'warning',
  },
  Unknown: {
    label: 'Sync unknown',
    description: 'Git could not be compared with the cluster.',
    icon: HelpOutlineIcon,
    tone: 'neutral',
  },
};

/** How a deployment compares with Git: an icon and always the words. */
export function SyncChip(props: { state: SyncState }) {
  const classes = useChipStyles();
  const info = SYNC_STATES[props.state] ?? SYNC_STATES.Unknown;
  const Icon = info.icon;
  return (
    // A plain title, not a Tooltip: the fleet page may render hundreds.
    <span
      className={`${classes.chip} ${classes[info.tone]}`}
      data-sync={props.state}
      title={info.description}
    >
      <Icon className={classes.icon} aria-hidden="true" />
      {info.label}
    </span>
  );
}
