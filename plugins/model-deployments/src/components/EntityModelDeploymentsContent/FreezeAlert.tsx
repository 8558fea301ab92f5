import Typography from '@material-ui/core/Typography';
import AcUnitIcon from '@material-ui/icons/AcUnit';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import {
  Environment,
  EnvironmentFreeze,
} from '@seed-mlops/plugin-model-deployments-common';
import { formatLocalTime } from '../../utils/format';
import { usePromoteStyles } from './promoteStyles';

/** What a freeze holds back: a promotion into the environment, or a rollback there. */
export type FrozenChange = 'promotion' | 'rollback';

const VERBS: Record<FrozenChange, { doing: string; plural: string }> = {
  promotion: { doing: 'Promote', plural: 'Promotions' },
  rollback: { doing: 'Roll back', plural: 'Rollbacks' },
};

/**
 * Why a change into a frozen environment is refused, for the disabled
 * button: "Production is frozen until <local time>: <reason>. Promote after
 * that, or force the promotion."
 */
export function frozenReason(
  environment: Environment,
  frozen: EnvironmentFreeze,
  change: FrozenChange,
): string {
  return `${environment.title} is frozen until ${formatLocalTime(
    frozen.until,
  )}: ${frozen.reason}. ${
    VERBS[change].doing
  } after that, or force the ${change}.`;
}

/**
 * The promote and roll back dialogs' word on a target in a freeze window:
 * why and until when (in local time), and that the change is refused until
 * then unless forced, or that it is being forced.
 */
export function FreezeAlert(props: {
  environment: Environment;
  frozen: EnvironmentFreeze;
  change: FrozenChange;
  /** The user chose to force the change past the freeze. */
  force: boolean;
}) {
  const classes = usePromoteStyles();
  const { environment, frozen, change, force } = props;
  return (
    <Alert
      severity={force ? 'info' : 'warning'}
      icon={<AcUnitIcon />}
      className={classes.section}
    >
      <AlertTitle>{`${environment.title} is frozen`}</AlertTitle>
      <Typography variant="body2">
        {`Until ${formatLocalTime(frozen.until)}: ${frozen.reason}. `}
        {force
          ? `Forcing the ${change} past the freeze.`
          : `${VERBS[change].plural} into it are refused until then, unless forced.`}
      </Typography>
    </Alert>
  );
}
