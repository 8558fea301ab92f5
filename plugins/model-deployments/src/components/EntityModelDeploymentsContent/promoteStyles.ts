import { makeStyles } from '@material-ui/core/styles';

// One sheet for the promote dialog and its preview, which share `section`.
export const usePromoteStyles = makeStyles(theme => ({
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
  section: {
    marginBottom: theme.spacing(2),
  },
}));
