import { Link } from '@backstage/core-components';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { EnvironmentStatus } from '@seed-mlops/plugin-model-deployments-common';
import { memo } from 'react';
import { humanizeRef } from '../../utils/format';
import { FleetCell } from './FleetCell';
import { IndexedModel } from './filterModels';

const useStyles = makeStyles(theme => ({
  modelCell: {
    minWidth: 200,
    verticalAlign: 'top',
  },
  cell: {
    minWidth: 160,
    verticalAlign: 'top',
  },
  owner: {
    color: theme.palette.text.secondary,
  },
  problem: {
    color: theme.palette.error.main,
  },
}));

/** One model: its name, owner and problem, then one cell per environment. */
export const FleetRow = memo(function FleetRowContent(props: {
  item: IndexedModel;
  environments: EnvironmentStatus[];
  link: string;
}) {
  const classes = useStyles();
  const { item, environments, link } = props;
  const { model } = item;
  return (
    <TableRow hover>
      {/* MUI gives a cell with a `component` the role "cell"; this one heads its row. */}
      <TableCell
        component="th"
        scope="row"
        role="rowheader"
        className={classes.modelCell}
      >
        <Link to={link}>{model.title}</Link>
        {model.owner && (
          <Typography variant="body2" className={classes.owner}>
            {humanizeRef(model.owner)}
          </Typography>
        )}
        {model.problem && (
          <Typography variant="caption" className={classes.problem}>
            {model.problem}
          </Typography>
        )}
      </TableCell>
      {environments.map(({ environment, error, syncedAt }) => {
        const deployments = item.byEnvironment.get(environment.name) ?? [];
        return (
          <TableCell key={environment.name} className={classes.cell}>
            <FleetCell
              deployments={deployments}
              notPermitted={
                model.notPermitted?.includes(environment.name) ?? false
              }
              unreadable={error && !syncedAt ? error : undefined}
            />
          </TableCell>
        );
      })}
    </TableRow>
  );
});
