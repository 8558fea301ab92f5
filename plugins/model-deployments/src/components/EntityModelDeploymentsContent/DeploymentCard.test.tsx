import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { deployment } from '../../__fixtures__/data';
import { DeploymentCard } from './DeploymentCard';

describe('DeploymentCard', () => {
  it('shows a dash, never 0, for replicas the resource does not state', async () => {
    const {
      desiredReplicas: _d,
      availableReplicas: _a,
      ...rest
    } = deployment({ environment: 'dev' });
    await renderInTestApp(
      <DeploymentCard deployment={{ ...rest, desiredReplicas: 3 }} />,
    );
    expect(screen.getByText('—/3 replicas')).toBeInTheDocument();
  });

  it('shows a stopped model in its own words, with the split as published and its warnings', async () => {
    await renderInTestApp(
      <DeploymentCard
        deployment={{
          ...deployment({ environment: 'staging' }),
          phase: 'Stopped',
          message: 'Stopped on purpose (serving.kserve.io/stop).',
          traffic: [{ name: 'default', percent: 105, role: 'main' }],
          warnings: ['default has a traffic share of 105 %, outside 0–100 %'],
        }}
      />,
    );
    expect(screen.getByText('Stopped')).toBeInTheDocument();
    expect(
      screen.getByText('Stopped on purpose (serving.kserve.io/stop).'),
    ).toBeInTheDocument();
    expect(screen.getByText('main 105%')).toBeInTheDocument();
    expect(
      screen.getByRole('alert', { name: /^Warnings about / }),
    ).toHaveTextContent(
      'default has a traffic share of 105 %, outside 0–100 %',
    );
  });

  it("names a Model's Server and says when it is not Ready", async () => {
    await renderInTestApp(
      <DeploymentCard
        deployment={{
          ...deployment({ environment: 'dev' }),
          kind: 'Model',
          server: {
            name: 'mlserver',
            phase: 'Progressing',
            message: 'StatefulSet not ready',
          },
        }}
      />,
    );
    expect(screen.getByText('Server')).toBeInTheDocument();
    expect(screen.getByText('mlserver')).toBeInTheDocument();
    expect(screen.getByText('Progressing')).toBeInTheDocument();
    expect(screen.getByText('StatefulSet not ready')).toBeInTheDocument();
  });
});
