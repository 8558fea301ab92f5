import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  PromotionResult,
  PromotionStrategy,
} from '@seed-mlops/plugin-model-deployments-common';
import { ReactNode } from 'react';
import { ChangeDiff } from '../common';
import { usePromoteStyles } from './promoteStyles';

/**
 * What a promotion would do, from its dry run: the plan, the source's
 * verification (when the dialog gives it), the cluster's check, and unless
 * already up to date, the strategy to pick and the diff.
 */
export function PromotionPreview(props: {
  preview: PromotionResult;
  strategy: PromotionStrategy;
  onStrategyChange: (strategy: PromotionStrategy) => void;
  verification?: ReactNode;
}) {
  const classes = usePromoteStyles();
  const { preview, strategy } = props;
  return (
    <>
      <Typography variant="body2" className={classes.section}>
        {preview.message}
      </Typography>
      {props.verification}
      {preview.clusterCheck && (
        <Alert
          severity={
            preview.clusterCheck.state === 'accepted' ? 'success' : 'info'
          }
          className={classes.section}
        >
          {preview.clusterCheck.message}
        </Alert>
      )}
      {preview.status !== 'up-to-date' && (
        <>
          <FormControl component="fieldset" className={classes.section}>
            <FormLabel component="legend">How</FormLabel>
            <RadioGroup
              row
              value={strategy}
              onChange={event =>
                props.onStrategyChange(event.target.value as PromotionStrategy)
              }
            >
              <FormControlLabel
                value="commit"
                control={<Radio />}
                label="Commit to the branch"
              />
              <FormControlLabel
                value="pull-request"
                control={<Radio />}
                label="Open a pull request"
              />
            </RadioGroup>
          </FormControl>
          {preview.diffWithheld ? (
            <Alert severity="info">
              {preview.diffWithheld}. Files:{' '}
              {preview.files
                .map(file => `${file.path} (${file.change})`)
                .join(', ')}
            </Alert>
          ) : (
            <ChangeDiff diff={preview.diff} />
          )}
        </>
      )}
    </>
  );
}
