import { Content, Header, Page } from '@backstage/core-components';
import { ModelDeploymentsPage } from '@seed-mlops/plugin-model-deployments';
import { DemoDataBanner } from './DemoDataBanner';

/** The plugin's fleet page under the portal's own header, with the demo banner. */
export function FleetPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Model deployments"
        subtitle="Every model in every environment"
      />
      <Content>
        <DemoDataBanner />
        <ModelDeploymentsPage noHeader />
      </Content>
    </Page>
  );
}
