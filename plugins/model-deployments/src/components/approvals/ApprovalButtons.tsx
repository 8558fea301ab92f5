import Button from '@material-ui/core/Button';
import { makeStyles } from '@material-ui/core/styles';
import CheckIcon from '@material-ui/icons/Check';
import CloseIcon from '@material-ui/icons/Close';
import { ApprovalChoice } from './ApprovalDialog';

const useStyles = makeStyles(theme => ({
  buttons: {
    display: 'flex',
    gap: theme.spacing(1),
    flexWrap: 'wrap',
  },
}));

/**
 * "Approve" and "Reject" for a promotion the user may decide; each opens
 * the confirmation dialog through `onDecide`. The backend checks again.
 */
export function ApprovalButtons(props: {
  onDecide: (decision: ApprovalChoice) => void;
}) {
  const classes = useStyles();
  return (
    <div className={classes.buttons}>
      <Button
        size="small"
        variant="outlined"
        color="primary"
        startIcon={<CheckIcon />}
        onClick={() => props.onDecide('approve')}
      >
        Approve
      </Button>
      <Button
        size="small"
        variant="outlined"
        startIcon={<CloseIcon />}
        onClick={() => props.onDecide('reject')}
      >
        Reject
      </Button>
    </div>
  );
}
