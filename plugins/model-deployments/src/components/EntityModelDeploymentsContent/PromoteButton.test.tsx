import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis, renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { entityResponse, environments } from '../../__fixtures__/data';
import { TestApis } from '../../__testUtils__';
import { PromoteButton } from './PromoteButton';

// Its own file: usePermission caches decisions per permission and resource
// for the module's lifetime.
describe('PromoteButton', () => {
  it('is disabled, saying why, for users who may not promote this model there', async () => {
    // Asked about the model in the target environment, so that policies
    // can decide on the environment and on the model's owners.
    const permissionApi = mockApis.permission({
      authorize: request =>
        request.resourceRef === 'staging:component:default/fraud-scorer'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    await renderInTestApp(
      <TestApis permissionApi={permissionApi}>
        <PromoteButton
          entityRef="component:default/fraud-scorer"
          source={{
            ...entityResponse.environments[0],
            deployments: entityResponse.environments[0].deployments.map(d => ({
              ...d,
              phase: 'Ready' as const,
            })),
          }}
          target={{
            ...environments[1],
            gitops: { repoUrl: 'https://github.com/acme/ml-gitops.git' },
          }}
          onPromoted={() => {}}
        />
      </TestApis>,
    );
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Promote to Staging' }),
      ).toBeDisabled(),
    );
    expect(
      screen.getByTitle('You may not promote into Staging.'),
    ).toBeInTheDocument();
  });

  it('is disabled while the source is out of sync with Git', async () => {
    const [deployment] = entityResponse.environments[0].deployments;
    await renderInTestApp(
      <TestApis>
        <PromoteButton
          entityRef="component:default/fraud-scorer"
          source={{
            ...entityResponse.environments[0],
            deployments: [
              {
                ...deployment,
                phase: 'Ready',
                sync: { state: 'OutOfSync', differences: [] },
              },
            ],
          }}
          target={{
            ...environments[1],
            gitops: { repoUrl: 'https://github.com/acme/ml-gitops.git' },
          }}
          onPromoted={() => {}}
        />
      </TestApis>,
    );
    expect(
      screen.getByRole('button', { name: 'Promote to Staging' }),
    ).toBeDisabled();
    expect(
      screen.getByTitle(
        'fraud-scorer here is out of sync with Git: what Git holds has not run here yet.',
      ),
    ).toBeInTheDocument();
  });

  it('is not shown without a next environment', async () => {
    await renderInTestApp(
      <TestApis>
        <PromoteButton
          entityRef="component:default/fraud-scorer"
          source={entityResponse.environments[2]}
          onPromoted={() => {}}
        />
      </TestApis>,
    );
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  it('is disabled when the next environment has no GitOps source', async () => {
    await renderInTestApp(
      <TestApis>
        <PromoteButton
          entityRef="component:default/fraud-scorer"
          source={entityResponse.environments[0]}
          target={environments[1]}
          onPromoted={() => {}}
        />
      </TestApis>,
    );
    expect(
      screen.getByRole('button', { name: 'Promote to Staging' }),
    ).toBeDisabled();
    expect(
      screen.getByTitle('Staging has no GitOps source to promote into.'),
    ).toBeInTheDocument();
  });
});
