import Tooltip from '@material-ui/core/Tooltip';
import { formatAge, formatTimestamp } from '../../utils/format';

/** A relative time ("3 days ago") with the full timestamp on hover. */
export function Age(props: { timestamp?: string; prefix?: string }) {
  const { timestamp, prefix } = props;
  const age = formatAge(timestamp);
  if (!timestamp || !age) {
    return null;
  }
  return (
    <Tooltip title={formatTimestamp(timestamp)}>
      <time dateTime={timestamp}>{prefix ? `${prefix} ${age}` : age}</time>
    </Tooltip>
  );
}
