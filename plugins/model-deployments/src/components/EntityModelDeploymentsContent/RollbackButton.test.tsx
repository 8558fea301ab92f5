import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis, renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { modelDeploymentsPromotePermission } from '@seed-mlops/plugin-model-deployments-common';
import { environments } from '../../__fixtures__/data';
import { TestApis } from '../../__testUtils__';
import { RollbackButton } from './RollbackButton';

// Its own file: usePermission caches decisions per permission and resource
// for the module's lifetime.
describe('RollbackButton', () => {
  it('is disabled, saying why, for users who may not promote into the environment', async () => {
    const asked: Array<{ permission: string; resourceRef?: string }> = [];
    const permissionApi = mockApis.permission({
      authorize: request => {
        asked.push({
          permission: request.permission.name,
          resourceRef: request.resourceRef,
        });
        return request.resourceRef === 'staging:component:default/fraud-scorer'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW;
      },
    });
    await renderInTestApp(
      <TestApis permissionApi={permissionApi}>
        <RollbackButton
          entityRef="component:default/fraud-scorer"
          environment={environments[1]}
          to={{ commit: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b' }}
          label="9a8b7c6"
          description="Restores the model's manifests in Staging to what they were at commit 9a8b7c6."
          onRolledBack={() => {}}
        />
        <RollbackButton
          entityRef="component:default/fraud-scorer"
          environment={environments[0]}
          to={{ commit: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b' }}
          label="9a8b7c6"
          description="Restores the model's manifests in Development to what they were at commit 9a8b7c6."
          onRolledBack={() => {}}
        />
      </TestApis>,
    );
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Roll back staging to 9a8b7c6' }),
      ).toBeDisabled(),
    );
    expect(
      screen.getByTitle('You may not roll back Staging.'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Roll back dev to 9a8b7c6' }),
      ).toBeEnabled(),
    );
    // A rollback writes into the environment as a promotion does.
    expect(asked).toContainEqual({
      permission: modelDeploymentsPromotePermission.name,
      resourceRef: 'staging:component:default/fraud-scorer',
    });
  });
});
