import { usePermission } from '@backstage/plugin-permission-react';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import {
  Environment,
  modelDeploymentsForcePromotePermission,
  modelEnvironmentResourceRef,
} from '@seed-mlops/plugin-model-deployments-common';

/**
 * The choice to force a change into `environment` past what refuses it: a
 * freeze window there, failing verification gates of the source, or both;
 * the label says which. Users the permission policy does not let force
 * changes there see it disabled, with why, instead of a refused request.
 */
export function ForceOption(props: {
  entityRef: string;
  environment: Environment;
  frozen: boolean;
  failedGates: boolean;
  force: boolean;
  onForceChange: (force: boolean) => void;
  /** While a request is in flight. */
  disabled?: boolean;
}) {
  const { entityRef, environment, frozen, failedGates } = props;
  const permission = usePermission({
    permission: modelDeploymentsForcePromotePermission,
    resourceRef: modelEnvironmentResourceRef(environment.name, entityRef),
  });
  const denied = !permission.loading && !permission.allowed;
  let label = 'Force past failing gates';
  if (frozen) {
    label = failedGates
      ? 'Force past the freeze and failing gates'
      : 'Force past the freeze';
  }
  const helpId = `model-deployments-force-help-${environment.name}`;
  return (
    <>
      <FormControlLabel
        control={
          <Checkbox
            checked={props.force}
            disabled={props.disabled || permission.loading || denied}
            onChange={event => props.onForceChange(event.target.checked)}
            inputProps={denied ? { 'aria-describedby': helpId } : undefined}
          />
        }
        label={label}
      />
      {denied && (
        <FormHelperText id={helpId}>
          {`You may not force changes into ${environment.title}.`}
        </FormHelperText>
      )}
    </>
  );
}
