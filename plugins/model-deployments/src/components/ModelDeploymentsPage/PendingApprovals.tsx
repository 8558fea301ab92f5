import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { PendingApprovalsResponse } from '@seed-mlops/plugin-model-deployments-common';
import { PolledData } from '../../hooks/usePolledData';
import { messageOf } from '../../utils/errors';
import { useApprovalDialog } from '../approvals';
import { PendingApprovalRow } from './PendingApprovalRow';
import { useEntityLink } from './useEntityLink';

const useStyles = makeStyles(theme => ({
  section: {
    padding: theme.spacing(2),
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  },
  table: {
    overflowX: 'auto',
  },
}));

const COLUMNS = [
  'Model',
  'Promotion',
  'Requested by',
  'Versions',
  'Requested',
  'Expires',
  'Approvals',
  'Decide',
];

/**
 * The promotions waiting for approval, above the fleet, with Approve and
 * Reject where the user may decide. Nothing when none wait; a failed load
 * is said here and leaves the fleet alone.
 */
export function PendingApprovals(props: {
  approvals: PolledData<PendingApprovalsResponse>;
  /** Model titles by entity ref, from the fleet once it is loaded. */
  titles: ReadonlyMap<string, string>;
  /** Reloads the approvals and the fleet after a decision, or its refusal. */
  onDecided: () => void;
}) {
  const classes = useStyles();
  const linkFor = useEntityLink();
  const { value, error } = props.approvals;
  const { decide, dialog } = useApprovalDialog(props.onDecided);
  const promotions = value?.promotions ?? [];
  const shown = Boolean(error) || promotions.length > 0;
  return (
    <>
      {shown && (
        <Paper
          variant="outlined"
          component="section"
          aria-label="Waiting for approval"
          className={classes.section}
        >
          <Typography variant="h6" component="h2">
            Waiting for approval
          </Typography>
          {error && (
            <Alert severity="warning">
              {value
                ? 'Refreshing the promotions waiting for approval failed, showing the last loaded ones: '
                : 'Cannot load the promotions waiting for approval: '}
              {messageOf(error)}
            </Alert>
          )}
          {promotions.length > 0 && (
            <div className={classes.table}>
              <Table size="small" aria-label="Promotions waiting for approval">
                <TableHead>
                  <TableRow>
                    {COLUMNS.map(column => (
                      <TableCell key={column} component="th" scope="col">
                        {column}
                      </TableCell>
                    ))}
                  </TableRow>
                </TableHead>
                <TableBody>
                  {promotions.map(promotion => (
                    <PendingApprovalRow
                      key={promotion.id}
                      promotion={promotion}
                      title={props.titles.get(promotion.entityRef)}
                      link={linkFor(promotion.entityRef)}
                      onDecide={decide}
                    />
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </Paper>
      )}
      {/* Outside the section: the outcome of the decision that emptied it stays. */}
      {dialog}
    </>
  );
}
