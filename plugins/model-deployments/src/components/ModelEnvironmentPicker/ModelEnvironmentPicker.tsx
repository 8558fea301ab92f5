import { useApi } from '@backstage/core-plugin-api';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import InputLabel from '@material-ui/core/InputLabel';
import NativeSelect from '@material-ui/core/NativeSelect';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  Environment,
  modelDeploymentsPromotePermission,
  modelEnvironmentResourceRef,
} from '@seed-mlops/plugin-model-deployments-common';
import useAsync from 'react-use/esm/useAsync';
import { modelDeploymentsApiRef } from '../../api';

/**
 * The environments the user may not promote `entityRef` into, asked of the
 * permission framework for each environment (the backend checks again).
 */
function usePromotionRefusals(
  environments: Environment[] | undefined,
  entityRef: string | undefined,
) {
  const permissionApi = useApi(permissionApiRef);
  return useAsync(async () => {
    if (!environments || !entityRef) return new Set<string>();
    const decisions = await Promise.all(
      environments.map(env =>
        permissionApi.authorize({
          permission: modelDeploymentsPromotePermission,
          resourceRef: modelEnvironmentResourceRef(env.name, entityRef),
        }),
      ),
    );
    return new Set(
      environments
        .filter((_, i) => decisions[i].result === AuthorizeResult.DENY)
        .map(env => env.name),
    );
  }, [permissionApi, environments, entityRef]).value;
}

/**
 * A scaffolder field that picks one of the model-deployments environments,
 * in pipeline order, from the backend (configured and discovered ones).
 * Its value is the environment's name. With
 * `ui:options: { promotionTargetFor: <field> }`, environments the user may
 * not promote the model in that form field into are disabled.
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
  const modelField = uiSchema?.['ui:options']?.promotionTargetFor;
  const formValues = (
    props.formContext as { formData?: Record<string, unknown> }
  )?.formData;
  const entityRef =
    typeof modelField === 'string' &&
    typeof formValues?.[modelField] === 'string'
      ? (formValues[modelField] as string)
      : undefined;
  const refused = usePromotionRefusals(value?.environments, entityRef);
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
          <option
            key={environment.name}
            value={environment.name}
            disabled={refused?.has(environment.name)}
          >
            {environment.title === environment.name
              ? environment.name
              : `${environment.title} (${environment.name})`}
            {environment.restricted ? ', restricted' : ''}
            {refused?.has(environment.name)
              ? ' — you may not promote this model here'
              : ''}
          </option>
        ))}
      </NativeSelect>
      {help && <FormHelperText>{help}</FormHelperText>}
    </FormControl>
  );
}
