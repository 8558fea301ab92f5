import { makeStyles, Theme } from '@material-ui/core/styles';

/** How a chip is coloured: its border and icon; the word always says the same. */
export type ChipTone = 'success' | 'warning' | 'error' | 'info' | 'neutral';

// Static classes (no style functions): the fleet page renders hundreds of
// chips, and per-instance dynamic styles would be slow.
export const useChipStyles = makeStyles((theme: Theme) => ({
  chip: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    padding: theme.spacing(0, 1, 0, 0.5),
    borderRadius: 12,
    border: `1px solid ${theme.palette.text.secondary}`,
    color: theme.palette.text.primary,
    fontSize: theme.typography.body2.fontSize,
    lineHeight: '22px',
    whiteSpace: 'nowrap',
  },
  icon: {
    fontSize: 16,
    color: theme.palette.text.secondary,
  },
  success: {
    borderColor: theme.palette.success.main,
    '& $icon': { color: theme.palette.success.main },
  },
  warning: {
    borderColor: theme.palette.warning.main,
    '& $icon': { color: theme.palette.warning.main },
  },
  error: {
    borderColor: theme.palette.error.main,
    '& $icon': { color: theme.palette.error.main },
  },
  info: {
    borderColor: theme.palette.info.main,
    '& $icon': { color: theme.palette.info.main },
  },
  neutral: {},
}));
