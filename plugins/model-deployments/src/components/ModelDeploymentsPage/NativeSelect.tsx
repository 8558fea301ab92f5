import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import { ChangeEvent } from 'react';

const useStyles = makeStyles({
  select: {
    minWidth: 160,
  },
});

/** A labelled native select whose first option, `allLabel`, is the empty value. */
export function NativeSelect(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: Array<{ value: string; label: string }>;
  allLabel: string;
}) {
  const classes = useStyles();
  return (
    <TextField
      select
      id={props.id}
      label={props.label}
      value={props.value}
      onChange={(event: ChangeEvent<HTMLInputElement>) =>
        props.onChange(event.target.value)
      }
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      className={classes.select}
    >
      <option value="">{props.allLabel}</option>
      {props.options.map(option => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </TextField>
  );
}
