import { makeStyles } from '@material-ui/core/styles';

// One sheet for the promote dialog and its preview, which share `section`.
export const usePromoteStyles = makeStyles(theme => ({
  section: {
    marginBottom: theme.spacing(2),
  },
}));
