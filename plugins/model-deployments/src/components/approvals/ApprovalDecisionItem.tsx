import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ApprovalDecision } from '@seed-mlops/plugin-model-deployments-common';
import { humanizeRef } from '../../utils/format';
import { Age } from '../common';

const useStyles = makeStyles(theme => ({
  approved: {
    color: theme.palette.success.main,
  },
  rejected: {
    color: theme.palette.error.main,
  },
  comment: {
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
}));

/** One approver's decision: "jane approved · 2 hours ago: Looks good". */
export function ApprovalDecisionItem(props: { decision: ApprovalDecision }) {
  const classes = useStyles();
  const { by, decision, comment, at } = props.decision;
  return (
    <li>
      <Typography variant="caption" component="span">
        {humanizeRef(by, 'user')}{' '}
        <span className={classes[decision]}>{decision}</span> ·{' '}
        <Age timestamp={at} />
        {comment && (
          <>
            {': '}
            <span className={classes.comment}>{comment}</span>
          </>
        )}
      </Typography>
    </li>
  );
}
