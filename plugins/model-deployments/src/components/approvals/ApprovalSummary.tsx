import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { PromotionApproval } from '@seed-mlops/plugin-model-deployments-common';
import { Age } from '../common';
import { ApprovalDecisionItem } from './ApprovalDecisionItem';
import { needsText, requiredText } from './approvalText';

const useStyles = makeStyles(theme => ({
  policy: {
    display: 'block',
    color: theme.palette.text.secondary,
  },
  decisions: {
    margin: 0,
    paddingLeft: theme.spacing(2),
  },
}));

/**
 * A promotion's approval: what it needs (or needed) and until when, then
 * who decided what. "Needs 1 approval from release-managers · expires in
 * 23 hours" while pending.
 */
export function ApprovalSummary(props: {
  approval: PromotionApproval;
  /** The promotion still waits for approval. */
  pending: boolean;
}) {
  const classes = useStyles();
  const { approval, pending } = props;
  const expiresAt = pending ? approval.expiresAt : undefined;
  const expired = expiresAt !== undefined && Date.parse(expiresAt) < Date.now();
  return (
    <>
      <Typography variant="caption" className={classes.policy}>
        {pending ? needsText(approval) : requiredText(approval)}
        {expiresAt && (
          <>
            {' · '}
            <Age
              timestamp={expiresAt}
              prefix={expired ? 'expired' : 'expires'}
            />
          </>
        )}
      </Typography>
      {approval.decisions.length > 0 && (
        <ul className={classes.decisions} aria-label="Approval decisions">
          {approval.decisions.map(decision => (
            <ApprovalDecisionItem
              key={`${decision.by}:${decision.at}`}
              decision={decision}
            />
          ))}
        </ul>
      )}
    </>
  );
}
