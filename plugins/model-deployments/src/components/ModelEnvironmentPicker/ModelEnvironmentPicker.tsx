import { useApi } from '@backstage/core-plugin-api';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import InputLabel from '@material-ui/core/InputLabel';
import NativeSelect from '@material-ui/core/NativeSelect';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import useAsync from 'react-use/esm/useAsync';
import { modelDeploymentsApiRef } from '../../api';

/**
 * A scaffolder field that picks one of the model-deployments environments,
 * in pipeline order, from the backend (configured and discovered ones).
 * Its value is the environment's name.
 */
export function ModelEnvironmentPicker(
  props: FieldExtensionComponentProps<string>,
) {
  const {
    formData,
    onChange,
    required,
    rawErrors,
    schema,
    uiSchema,
    idSchema,
  } = props;
  const api = useApi(modelDeploymentsApiRef);
  const { value, loading, error } = useAsync(
    () => api.getEnvironments(),
    [api],
  );
  const id = idSchema?.$id ?? 'model-environment-picker';
  const title = uiSchema?.['ui:title'] ?? schema.title ?? 'Environment';
  let help = schema.description;
  if (error) help = `Cannot load the environments: ${error.message}`;
  else if (loading) help = 'Loading the environments…';
  return (
    <FormControl
      fullWidth
      margin="normal"
      required={required}
      error={Boolean(error) || (rawErrors?.length ?? 0) > 0}
    >
      <InputLabel htmlFor={id} shrink>
        {title}
      </InputLabel>
      <NativeSelect
        id={id}
        value={formData ?? ''}
        disabled={loading || Boolean(error)}
        onChange={event => onChange(event.target.value || undefined)}
      >
        <option value="">{required ? 'Choose…' : 'Default'}</option>
        {value?.environments.map(environment => (
          <option key={environment.name} value={environment.name}>
            {environment.title === environment.name
              ? environment.name
              : `${environment.title} (${environment.name})`}
            {environment.restricted ? ', restricted' : ''}
          </option>
        ))}
      </NativeSelect>
      {help && <FormHelperText>{help}</FormHelperText>}
    </FormControl>
  );
}
