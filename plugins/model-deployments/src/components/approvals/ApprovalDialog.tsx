import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import {
  ApprovalDecisionRequest,
  MAX_APPROVAL_COMMENT_LENGTH,
  PromotionRecord,
  PromotionResult,
} from '@seed-mlops/plugin-model-deployments-common';
import { useState } from 'react';
import { messageOf } from '../../utils/errors';
import { humanizeRef, shortenUri } from '../../utils/format';
import { Age, ChangeDiff } from '../common';
import { needsText } from './approvalText';
import { useApprovalDecision } from './useApprovalDecision';

const useStyles = makeStyles(theme => ({
  section: {
    marginBottom: theme.spacing(2),
  },
  meta: {
    color: theme.palette.text.secondary,
  },
}));

/** The decisions a dialog can confirm. */
export type ApprovalChoice = ApprovalDecisionRequest['decision'];

const WORDS: Record<ApprovalChoice, { verb: string; explain: string }> = {
  approve: {
    verb: 'Approve',
    explain:
      'Your approval counts toward those required; the last one runs the promotion at once.',
  },
  reject: {
    verb: 'Reject',
    explain:
      'Rejecting ends the promotion: nothing is written. Say why; the requester sees your comment.',
  },
};

/**
 * Confirms approving or rejecting a promotion waiting for approval: what it
 * promotes, an optional comment (required to reject), then the request. It
 * closes through `onDecided` when the backend accepts the decision, and
 * keeps the backend's refusal (no longer pending, not an approver) in view,
 * calling `onFailed` so that the list behind it can reload. It cannot be
 * closed while the decision is being sent, so that its answer is not lost.
 */
export function ApprovalDialog(props: {
  promotion: PromotionRecord;
  decision: ApprovalChoice;
  onClose: () => void;
  onDecided: (result: PromotionResult) => void;
  onFailed?: () => void;
}) {
  const classes = useStyles();
  const { promotion, decision } = props;
  const [comment, setComment] = useState('');
  const { busy, error, decide } = useApprovalDecision(
    promotion.id,
    props.onDecided,
    props.onFailed,
  );
  const words = WORDS[decision];
  const trimmed = comment.trim();
  const missing = decision === 'reject' && trimmed === '';
  const titleId = `model-deployments-${decision}-title`;
  // Escape and a click on the backdrop wait for the answer, like Cancel.
  const close = () => {
    if (!busy) props.onClose();
  };
  return (
    <Dialog
      open
      onClose={close}
      maxWidth="sm"
      fullWidth
      aria-labelledby={titleId}
    >
      <DialogTitle id={titleId}>{`${words.verb} promotion`}</DialogTitle>
      <DialogContent>
        {busy && <LinearProgress aria-label="Working" />}
        {error && (
          <Alert severity="error" className={classes.section}>
            {messageOf(error)}
          </Alert>
        )}
        <Typography variant="body1">
          {`${humanizeRef(promotion.entityRef, 'component')}: ${
            promotion.from
          } → ${promotion.to}`}
        </Typography>
        {promotion.versions.length > 0 && (
          <Typography variant="body2">
            {`Versions: ${promotion.versions
              .map(v => shortenUri(v))
              .join(', ')}`}
          </Typography>
        )}
        <Typography
          variant="body2"
          className={`${classes.meta} ${classes.section}`}
        >
          Requested by {humanizeRef(promotion.actor, 'user')}{' '}
          <Age timestamp={promotion.createdAt} />
          {promotion.approval ? ` · ${needsText(promotion.approval)}` : ''}
        </Typography>
        {promotion.approval?.diff && (
          <ChangeDiff
            diff={promotion.approval.diff}
            className={classes.section}
          />
        )}
        <Typography variant="body2" className={classes.section}>
          {words.explain}
        </Typography>
        <TextField
          // One dialog is open at a time; the id ties the label to the field.
          id="model-deployments-approval-comment"
          label="Comment"
          multiline
          minRows={3}
          fullWidth
          variant="outlined"
          required={decision === 'reject'}
          disabled={busy}
          value={comment}
          onChange={event => setComment(event.target.value)}
          inputProps={{ maxLength: MAX_APPROVAL_COMMENT_LENGTH }}
          helperText={
            decision === 'reject'
              ? 'Required: why is it rejected?'
              : 'Optional, shown to the requester.'
          }
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>
          Cancel
        </Button>
        <Button
          color="primary"
          variant="contained"
          disabled={busy || missing}
          onClick={() =>
            decide(trimmed ? { decision, comment: trimmed } : { decision })
          }
        >
          {words.verb}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
