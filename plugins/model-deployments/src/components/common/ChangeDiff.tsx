import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  diff: {
    fontFamily: 'monospace',
    fontSize: theme.typography.caption.fontSize,
    background: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    padding: theme.spacing(1),
    maxHeight: 360,
    overflow: 'auto',
    whiteSpace: 'pre',
    margin: 0,
  },
  added: { color: theme.palette.success.main },
  removed: { color: theme.palette.error.main },
}));

/** A unified diff, added lines green and removed ones red. */
export function ChangeDiff(props: { diff: string; className?: string }) {
  const classes = useStyles();
  return (
    <pre
      className={`${classes.diff} ${props.className ?? ''}`}
      aria-label="Changes"
    >
      {props.diff.split('\n').map((line, index) => {
        let kind: string | undefined;
        if (line.startsWith('+') && !line.startsWith('+++')) {
          kind = classes.added;
        } else if (line.startsWith('-') && !line.startsWith('---')) {
          kind = classes.removed;
        }
        return (
          <div key={index} className={kind}>
            {line || ' '}
          </div>
        );
      })}
    </pre>
  );
}
