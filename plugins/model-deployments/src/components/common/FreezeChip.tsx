import Tooltip from '@material-ui/core/Tooltip';
import AcUnitIcon from '@material-ui/icons/AcUnit';
import { EnvironmentFreeze } from '@seed-mlops/plugin-model-deployments-common';
import { formatLocalTime } from '../../utils/format';
import { useChipStyles } from './chipStyles';

/** "Frozen until <local time>: <reason>", as people and screen readers read it. */
export function describeFreeze(frozen: EnvironmentFreeze): string {
  return `Frozen until ${formatLocalTime(frozen.until)}: ${frozen.reason}`;
}

/**
 * Says an environment is in a freeze window: a snowflake and the word
 * "Frozen" (with the end time unless `compact`), the end time and reason on
 * hover and as its accessible name. Promotions and rollbacks into the
 * environment need force until then.
 */
export function FreezeChip(props: {
  frozen: EnvironmentFreeze;
  /** Only the word, for narrow places such as the fleet's column headers. */
  compact?: boolean;
}) {
  const classes = useChipStyles();
  const { frozen, compact } = props;
  const description = describeFreeze(frozen);
  return (
    <Tooltip title={description}>
      <span
        role="img"
        aria-label={description}
        className={`${classes.chip} ${classes.info}`}
        data-frozen-until={frozen.until}
      >
        <AcUnitIcon className={classes.icon} aria-hidden="true" />
        {compact ? 'Frozen' : `Frozen until ${formatLocalTime(frozen.until)}`}
      </span>
    </Tooltip>
  );
}
