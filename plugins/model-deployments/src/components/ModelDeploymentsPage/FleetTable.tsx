import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';
import { EnvironmentStatus } from '@seed-mlops/plugin-model-deployments-common';
import { describeError } from '../../utils/errors';
import { FreezeChip } from '../common';
import { FleetRow } from './FleetRow';
import { IndexedModel } from './filterModels';

const useStyles = makeStyles(theme => ({
  container: {
    overflowX: 'auto',
  },
  envError: {
    color: theme.palette.error.main,
    display: 'block',
    fontWeight: 'normal',
  },
  envMeta: {
    color: theme.palette.text.secondary,
    display: 'block',
    fontWeight: 'normal',
  },
  envFrozen: {
    display: 'block',
    fontWeight: 'normal',
    marginTop: theme.spacing(0.5),
  },
}));

/** The fleet matrix: one row per model, one column per environment. */
export function FleetTable(props: {
  items: IndexedModel[];
  environments: EnvironmentStatus[];
  linkFor: (entityRef: string) => string;
}) {
  const classes = useStyles();
  const { items, environments, linkFor } = props;
  return (
    <div className={classes.container}>
      <Table size="small" aria-label="Model deployments by environment">
        <TableHead>
          <TableRow>
            <TableCell component="th" scope="col">
              Model
            </TableCell>
            {environments.map(({ environment, error, git, frozen }) => (
              <TableCell key={environment.name} component="th" scope="col">
                {environment.title}
                <span className={classes.envMeta}>
                  {environment.namespace ?? environment.cluster}
                  {environment.restricted ? ' · restricted' : ''}
                </span>
                {error && (
                  <span className={classes.envError} title={error.message}>
                    {describeError(error).title}
                  </span>
                )}
                {git?.error && (
                  <span className={classes.envError} title={git.error}>
                    Git cannot be read
                  </span>
                )}
                {frozen && (
                  <span className={classes.envFrozen}>
                    <FreezeChip frozen={frozen} compact />
                  </span>
                )}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map(item => (
            <FleetRow
              key={item.model.entityRef}
              item={item}
              environments={environments}
              link={linkFor(item.model.entityRef)}
            />
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
