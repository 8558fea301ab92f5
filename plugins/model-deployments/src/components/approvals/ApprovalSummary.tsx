import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { PromotionApproval } from '@seed-mlops/plugin-model-deployments-common';
import { Age } from '../common';
import { ApprovalDecisionItem } from './ApprovalDecisionItem';
import { approvalExpired } from './approvalTime';
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
 * 23 hours" while pending; once its time ran out (by the clock at render,
 * before the backend settles it) "Required 1 approval from release-managers
 * · expired 5 minutes ago".
 */
export function ApprovalSummary(props: {
  approval: PromotionApproval;
  /** The promotion still waits for approval. */
  pending: boolean;
}) {
  const classes = useStyles();
  const { approval, pending } = props;
  const expiresAt = pending ? approval.expiresAt : undefined;
  const expired = pending && approvalExpired(approval);
  return (
    <>
      <Typography variant="caption" className={classes.policy}>
        {pending && !expired ? needsText(approval) : requiredText(approval)}
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
