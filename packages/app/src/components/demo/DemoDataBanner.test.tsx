import { configApiRef } from '@backstage/core-plugin-api';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { DemoDataBanner } from './DemoDataBanner';

async function renderWith(data: object) {
  await renderInTestApp(
    <TestApiProvider apis={[[configApiRef, mockApis.config({ data })]]}>
      <DemoDataBanner />
    </TestApiProvider>,
  );
}

describe('DemoDataBanner', () => {
  it('says the data is demo data when the demo cluster runs', async () => {
    await renderWith({ modelDeployments: { demoCluster: { enabled: true } } });
    expect(screen.getByRole('status')).toHaveTextContent(
      'Demo data — these deployments come from the built-in demo cluster, not from a real one.',
    );
  });

  it('shows nothing when the demo cluster is off or not configured', async () => {
    await renderWith({ modelDeployments: { demoCluster: { enabled: false } } });
    expect(screen.queryByText('Demo data')).not.toBeInTheDocument();
    await renderWith({});
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });
});
