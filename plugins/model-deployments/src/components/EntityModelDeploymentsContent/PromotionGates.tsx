import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CancelIcon from '@material-ui/icons/Cancel';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import { PromotionGateResult } from '@seed-mlops/plugin-model-deployments-common';

const useStyles = makeStyles(theme => ({
  section: { marginBottom: theme.spacing(2) },
  heading: {
    display: 'flex',
    alignItems: 'baseline',
    gap: theme.spacing(1),
  },
  table: { '& td, & th': { verticalAlign: 'top' } },
  status: { width: theme.spacing(4), paddingRight: 0 },
  passed: { color: theme.palette.success.main },
  failed: { color: theme.palette.error.main },
  code: { fontFamily: 'monospace' },
  noValue: { fontStyle: 'italic', color: theme.palette.text.secondary },
}));

/** The source environment's failing gates, from a dry run's answer. */
export function failedGates(
  gates: PromotionGateResult[] | undefined,
): PromotionGateResult[] {
  return gates?.filter(gate => !gate.passed) ?? [];
}

/** Passed or failed: an icon with a name, so never colour alone. */
function GateStatus(props: { passed: boolean }) {
  const classes = useStyles();
  const label = props.passed ? 'passed' : 'failed';
  return (
    <span
      role="img"
      aria-label={label}
      title={label}
      className={props.passed ? classes.passed : classes.failed}
    >
      {props.passed ? (
        <CheckCircleIcon fontSize="small" aria-hidden="true" />
      ) : (
        <CancelIcon fontSize="small" aria-hidden="true" />
      )}
    </span>
  );
}

function summaryOf(gates: PromotionGateResult[], force: boolean): string {
  const failed = failedGates(gates);
  if (failed.length === 0) {
    return gates.length === 1 ? 'The gate passed' : 'All gates passed';
  }
  const count = `${failed.length} of ${gates.length} ${
    gates.length === 1 ? 'gate' : 'gates'
  } failed`;
  const one = failed.length === 1;
  return force
    ? `${count}; forcing past ${one ? 'it' : 'them'}`
    : `${count}; no promotion until ${
        one ? 'it passes' : 'they pass'
      }, unless forced`;
}

/**
 * The "Verification" section of the promote dialog: each verification gate
 * of the source environment as the dry run checked it (passed or failed,
 * the value seen, what it expects, and why when it failed), and whether
 * the promotion is forced past the failing ones (the dialog offers that
 * choice, with the freeze's). Nothing without gates.
 */
export function PromotionGates(props: {
  gates?: PromotionGateResult[];
  force: boolean;
}) {
  const classes = useStyles();
  const { gates, force } = props;
  if (!gates || gates.length === 0) return null;
  const anyFailed = failedGates(gates).length > 0;
  return (
    <section
      aria-labelledby="model-deployments-verification-title"
      className={classes.section}
    >
      <div className={classes.heading}>
        <Typography
          variant="subtitle2"
          component="h3"
          id="model-deployments-verification-title"
        >
          Verification
        </Typography>
        <Typography
          variant="caption"
          color={anyFailed && !force ? 'error' : 'textSecondary'}
        >
          {summaryOf(gates, force)}
        </Typography>
      </div>
      <Table
        size="small"
        aria-label="Verification gates"
        className={classes.table}
      >
        <TableHead>
          <TableRow>
            <TableCell className={classes.status}>
              <Typography variant="srOnly">Result</Typography>
            </TableCell>
            <TableCell>Gate</TableCell>
            <TableCell>Value</TableCell>
            <TableCell>Expected</TableCell>
            {anyFailed && <TableCell>Why</TableCell>}
          </TableRow>
        </TableHead>
        <TableBody>
          {gates.map((gate, index) => (
            <TableRow key={`${gate.name}-${index}`}>
              <TableCell className={classes.status}>
                <GateStatus passed={gate.passed} />
              </TableCell>
              <TableCell className={classes.code}>{gate.name}</TableCell>
              <TableCell>
                {gate.value ?? (
                  <span className={classes.noValue}>no value</span>
                )}
              </TableCell>
              <TableCell>{gate.expected}</TableCell>
              {anyFailed && (
                <TableCell>{gate.passed ? '' : gate.message}</TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </section>
  );
}
