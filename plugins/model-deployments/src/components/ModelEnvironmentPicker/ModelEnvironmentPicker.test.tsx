import { registerMswTestHooks, renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { environments } from '../../__fixtures__/data';
import { BASE_URL, TestApis } from '../../__testUtils__';
import { ModelEnvironmentPicker } from './ModelEnvironmentPicker';

const server = setupServer();
registerMswTestHooks(server);

function render(onChange: (value?: string) => void, required = true) {
  const props = {
    formData: undefined,
    onChange,
    required,
    rawErrors: [],
    schema: { title: 'Promote to', type: 'string' as const },
    uiSchema: {},
    idSchema: { $id: 'root_to' },
  } as any;
  return renderInTestApp(
    <TestApis>
      <ModelEnvironmentPicker {...props} />
    </TestApis>,
  );
}

describe('ModelEnvironmentPicker', () => {
  it('offers the backend environments in pipeline order', async () => {
    server.use(
      http.get(`${BASE_URL}/environments`, () =>
        HttpResponse.json({ demo: false, environments }),
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
