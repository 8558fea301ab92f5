import { Link } from '@backstage/core-components';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import { PromotionRecord } from '@seed-mlops/plugin-model-deployments-common';
import { humanizeRef, shortenUri } from '../../utils/format';
import {
  ApprovalButtons,
  DecideApproval,
  approvalExpired,
  canDecideNow,
  progressText,
} from '../approvals';
import { Age } from '../common';

/**
 * One promotion waiting for approval: the model (linked to its page), where
 * it goes, who asked for what and when, until when it waits, how many
 * approvals it has, and Approve and Reject for users who may decide. Once
 * its time ran out (by the clock at render) it says so and offers neither:
 * the backend would refuse them.
 */
export function PendingApprovalRow(props: {
  promotion: PromotionRecord;
  /** The model's title, when the fleet knows it. */
  title?: string;
  link: string;
  onDecide: DecideApproval;
}) {
  const { promotion } = props;
  const approval = promotion.approval;
  const expired = approvalExpired(approval);
  return (
    <TableRow>
      {/* MUI gives a cell with a `component` the role "cell"; this one heads its row. */}
      <TableCell component="th" scope="row" role="rowheader">
        <Link to={props.link}>
          {props.title ?? humanizeRef(promotion.entityRef, 'component')}
        </Link>
      </TableCell>
      <TableCell>{`${promotion.from} → ${promotion.to}`}</TableCell>
      <TableCell>{humanizeRef(promotion.actor, 'user')}</TableCell>
      <TableCell>
        {promotion.versions.map(v => shortenUri(v)).join(', ')}
      </TableCell>
      <TableCell>
        <Age timestamp={promotion.createdAt} />
      </TableCell>
      <TableCell>
        <Age
          timestamp={approval?.expiresAt}
          prefix={expired ? 'expired' : undefined}
        />
      </TableCell>
      <TableCell>{approval ? progressText(approval) : ''}</TableCell>
      <TableCell>
        {canDecideNow(promotion) && (
          <ApprovalButtons
            onDecide={decision => props.onDecide(promotion, decision)}
          />
        )}
      </TableCell>
    </TableRow>
  );
}
