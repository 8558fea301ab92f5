import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import {
  TrafficRole,
  TrafficTarget,
} from '@seed-mlops/plugin-model-deployments-common';

function roleColor(theme: Theme, role: TrafficRole): string {
  switch (role) {
    case 'main':
      return theme.palette.primary.main;
    case 'canary':
      return theme.palette.warning.main;
    default:
      return theme.palette.text.secondary;
  }
}

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    height: 8,
    borderRadius: 4,
    overflow: 'hidden',
    backgroundColor: theme.palette.action.hover,
    margin: theme.spacing(0.5, 0),
  },
  segment: {
    height: '100%',
    '& + &': {
      borderLeft: `2px solid ${theme.palette.background.paper}`,
    },
  },
  legend: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: theme.spacing(1.5),
  },
  legendItem: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
  swatch: {
    display: 'inline-block',
    width: 10,
    height: 10,
    borderRadius: 2,
  },
  copySwatch: {
    display: 'inline-block',
    width: 10,
    height: 10,
    borderRadius: 2,
    border: `1px dashed ${theme.palette.text.secondary}`,
  },
  label: {
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  name: {
    color: theme.palette.text.secondary,
    fontFamily: 'monospace',
  },
}));

function TargetLabel(props: { target: TrafficTarget; swatch: JSX.Element }) {
  const classes = useStyles();
  const { target } = props;
  return (
    <li className={classes.legendItem}>
      {props.swatch}
      <Typography variant="body2" component="span" className={classes.label}>
        {`${target.role} ${target.percent}%`}
      </Typography>
      <Typography variant="body2" component="span" className={classes.name}>
        {target.name}
      </Typography>
    </li>
  );
}

/**
 * How a deployment's traffic is split: main and canary targets as segments
 * of a bar sized by their share, shadow and mirror targets (which receive a
 * copy of the requests) listed separately.
 */
export function TrafficBar(props: { traffic: TrafficTarget[] }) {
  const classes = useStyles();
  const live = props.traffic.filter(
    t => t.role === 'main' || t.role === 'canary',
  );
  const copies = props.traffic.filter(
    t => t.role === 'shadow' || t.role === 'mirror',
  );
  if (live.length === 0 && copies.length === 0) {
    return null;
  }
  return (
    <div>
      {live.length > 0 && (
        <>
          <div className={classes.bar} aria-hidden="true">
            {live.map((target, index) => (
              <TrafficSegment key={`${target.name}-${index}`} target={target} />
            ))}
          </div>
          <ul className={classes.legend} aria-label="Traffic split">
            {live.map((target, index) => (
              <TargetLabel
                key={`${target.name}-${index}`}
                target={target}
                swatch={<TrafficSwatch role={target.role} />}
              />
            ))}
          </ul>
        </>
      )}
      {copies.length > 0 && (
        <ul className={classes.legend} aria-label="Traffic copies">
          {copies.map((target, index) => (
            <TargetLabel
              key={`${target.name}-${index}`}
              target={target}
              swatch={
                <span className={classes.copySwatch} aria-hidden="true" />
              }
            />
          ))}
        </ul>
      )}
    </div>
  );
}

const useSegmentStyles = makeStyles(theme => ({
  main: { backgroundColor: roleColor(theme, 'main') },
  canary: { backgroundColor: roleColor(theme, 'canary') },
  shadow: { backgroundColor: roleColor(theme, 'shadow') },
  mirror: { backgroundColor: roleColor(theme, 'mirror') },
}));

function TrafficSegment(props: { target: TrafficTarget }) {
  const classes = useStyles();
  const colors = useSegmentStyles();
  const width = Math.max(0, Math.min(100, props.target.percent));
  return (
    <span
      className={`${classes.segment} ${colors[props.target.role]}`}
      style={{ width: `${width}%` }}
    />
  );
}

function TrafficSwatch(props: { role: TrafficRole }) {
  const classes = useStyles();
  const colors = useSegmentStyles();
  return (
    <span
      className={`${classes.swatch} ${colors[props.role]}`}
      aria-hidden="true"
    />
  );
}
