import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
} from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { environments } from '../../__fixtures__/data';
import { BASE_URL, TestApis } from '../../__testUtils__';
import { ModelEnvironmentPicker } from './ModelEnvironmentPicker';

const server = setupServer();
registerMswTestHooks(server);

function render(
  onChange: (value?: string) => void,
  required = true,
  extra: {
    uiSchema?: object;
    formContext?: object;
    permissionApi?: ReturnType<typeof mockApis.permission>;
  } = {},
) {
  const props = {
    formData: undefined,
    onChange,
    required,
    rawErrors: [],
    schema: { title: 'Promote to', type: 'string' as const },
    uiSchema: extra.uiSchema ?? {},
    formContext: extra.formContext,
    idSchema: { $id: 'root_to' },
  } as any;
  return renderInTestApp(
    <TestApis permissionApi={extra.permissionApi}>
      <ModelEnvironmentPicker {...props} />
    </TestApis>,
  );
}

describe('ModelEnvironmentPicker', () => {
  it('offers the backend environments in pipeline order', async () => {
    server.use(
      http.get(`${BASE_URL}/environments`, () =>
        HttpResponse.json({ environments }),
      ),
    );
    const onChange = jest.fn();
    await render(onChange);
    const select = await screen.findByRole('combobox', { name: /Promote to/ });
    expect(
      (await screen.findAllByRole('option')).map(o => o.textContent),
    ).toEqual([
      'Choose…',
      'Development (dev)',
      'Staging (staging)',
      'Production (production), restricted',
    ]);
    await userEvent.selectOptions(select, 'staging');
    expect(onChange).toHaveBeenLastCalledWith('staging');
    await userEvent.selectOptions(select, '');
    expect(onChange).toHaveBeenLastCalledWith(undefined);
  });

  it("disables the environments the user may not promote the form's model into", async () => {
    server.use(
      http.get(`${BASE_URL}/environments`, () =>
        HttpResponse.json({ environments }),
      ),
    );
    const asked: string[] = [];
    const permissionApi = mockApis.permission({
      authorize: request => {
        asked.push(request.resourceRef ?? '');
        return request.resourceRef?.startsWith('production:')
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW;
      },
    });
    await render(jest.fn(), true, {
      uiSchema: { 'ui:options': { promotionTargetFor: 'model' } },
      formContext: { formData: { model: 'component:default/fraud-scorer' } },
      permissionApi,
    });
    await waitFor(() =>
      expect(
        screen.getByRole('option', {
          name: 'Production (production), restricted — you may not promote this model here',
        }),
      ).toBeDisabled(),
    );
    expect(
      screen.getByRole('option', { name: 'Staging (staging)' }),
    ).toBeEnabled();
    expect(asked).toContain('production:component:default/fraud-scorer');
  });

  it('says when the environments cannot be loaded', async () => {
    server.use(
      http.get(`${BASE_URL}/environments`, () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'down' } },
          { status: 503 },
        ),
      ),
    );
    await render(jest.fn(), false);
    expect(
      await screen.findByText(/Cannot load the environments: .*503/),
    ).toBeInTheDocument();
  });
});
