import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import { entity, entityResponse, fleetResponse } from './__fixtures__/data';
import plugin, {
  entityModelDeploymentsCard,
  entityModelDeploymentsContent,
  modelDeploymentsPage,
  modelEnvironmentPickerFormField,
} from './alpha';
import { ModelDeploymentsApi, modelDeploymentsApiRef } from './api';
import { isModelDeploymentsAvailable } from './conditions';

const api: jest.Mocked<ModelDeploymentsApi> = {
  getEnvironments: jest.fn(),
  getEntityDeployments: jest.fn(async (_entityRef: string) => entityResponse),
  getFleet: jest.fn(async () => fleetResponse),
  getHistory: jest.fn(),
  refreshGit: jest.fn(),
  promote: jest.fn(),
  rollback: jest.fn(),
  getPromotions: jest.fn(async (entityRef: string) => ({
    entityRef,
    promotions: [],
  })),
  decideApproval: jest.fn(),
  getPendingApprovals: jest.fn(async () => ({ promotions: [] })),
};

describe('model-deployments /alpha', () => {
  it('is a frontend plugin with the id model-deployments', () => {
    expect(plugin.pluginId).toBe('model-deployments');
    expect(plugin.getExtension('api:model-deployments')).toBeDefined();
    expect(
      plugin.getExtension('entity-content:model-deployments/model-deployments'),
    ).toBeDefined();
    expect(
      plugin.getExtension('entity-card:model-deployments/model-deployments'),
    ).toBeDefined();
    expect(plugin.getExtension('page:model-deployments')).toBeDefined();
    expect(
      plugin.getExtension(
        'scaffolder-form-field:model-deployments/model-environment-picker',
      ),
    ).toBeDefined();
  });

  it('is a tab of its own called Deployments, not a member of a group', () => {
    const tester = createExtensionTester(entityModelDeploymentsContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Deployments',
    );
    expect(tester.get(EntityContentBlueprint.dataRefs.group)).toBeUndefined();
  });

  it('gives the fleet page a title and an icon, so the sidebar lists it', () => {
    const tester = createExtensionTester(modelDeploymentsPage);
    expect(tester.get(coreExtensionData.title)).toBe('Model deployments');
    expect(tester.get(coreExtensionData.icon)).toBeDefined();
  });

  it('registers the ModelEnvironmentPicker form field for templates', async () => {
    const loader = createExtensionTester(modelEnvironmentPickerFormField).get(
      FormFieldBlueprint.dataRefs.formFieldLoader,
    );
    const field = (await loader()) as unknown as {
      $$type: string;
      name?: string;
    };
    expect(field).toMatchObject({
      $$type: '@backstage/scaffolder/FormField',
      name: 'ModelEnvironmentPicker',
    });
  });

  it('renders the entity content', async () => {
    renderInTestApp(
      <TestApiProvider
        apis={[
          [modelDeploymentsApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <EntityProvider entity={entity}>
          {createExtensionTester(entityModelDeploymentsContent).reactElement()}
        </EntityProvider>
      </TestApiProvider>,
      { config: { modelDeployments: { ui: { refreshIntervalSeconds: 0 } } } },
    );
    const production = await screen.findByRole('region', {
      name: 'Production',
    });
    expect(within(production).getByText('canary 10%')).toBeInTheDocument();
    expect(api.getEntityDeployments).toHaveBeenCalledWith(
      'component:default/fraud-scorer',
    );
  });

  it('renders the entity card', async () => {
    renderInTestApp(
      <TestApiProvider apis={[[modelDeploymentsApiRef, api]]}>
        <EntityProvider entity={entity}>
          {createExtensionTester(entityModelDeploymentsCard).reactElement()}
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByRole('list', { name: 'Deployments by environment' }),
    ).toBeInTheDocument();
  });

  it('renders the fleet page', async () => {
    renderInTestApp(
      <TestApiProvider apis={[[modelDeploymentsApiRef, api]]}>
        {createExtensionTester(modelDeploymentsPage).reactElement()}
      </TestApiProvider>,
    );
    expect(await screen.findByText('3 of 3 models')).toBeInTheDocument();
    expect(screen.getByText('Model deployments')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Fraud scorer' })).toHaveAttribute(
      'href',
      '/catalog/default/component/fraud-scorer',
    );
  });

  it('shows the entity content only for model entities', () => {
    expect(isModelDeploymentsAvailable(entity)).toBe(true);
    expect(
      isModelDeploymentsAvailable({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'website' },
        spec: { type: 'website' },
      }),
    ).toBe(false);
    expect(
      isModelDeploymentsAvailable({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
        spec: { type: 'model' },
      }),
    ).toBe(true);
    expect(
      isModelDeploymentsAvailable({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'x',
          annotations: { 'model-deployments/selector': 'app=x' },
        },
      }),
    ).toBe(true);
  });
});
