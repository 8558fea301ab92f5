import { Content, Header, Page } from '@backstage/core-components';
import { useOutlet } from 'react-router-dom';
import { ModelDeploymentsFleet } from './ModelDeploymentsFleet';

/** Props of {@link ModelDeploymentsPage}. @public */
export interface ModelDeploymentsPageProps {
  /**
   * Auto refresh interval in milliseconds; 0 disables it. Not used when the
   * app has signals: the view then updates live.
   */
  refreshIntervalMs?: number;
  /** Hide the page header, e.g. when the app already shows one. */
  noHeader?: boolean;
  /** Models per page of the table; default 50. Users can pick another. */
  pageSize?: number;
}

/**
 * The fleet page: every model in every environment, with filters. What the
 * app puts inside its route (`<Route element={<ModelDeploymentsPage />}>…`)
 * is shown above the fleet, e.g. a notice.
 *
 * @public
 */
export function ModelDeploymentsPage(props: ModelDeploymentsPageProps) {
  const outlet = useOutlet();
  const content = (
    <>
      {outlet}
      <ModelDeploymentsFleet
        refreshIntervalMs={props.refreshIntervalMs}
        pageSize={props.pageSize}
      />
    </>
  );
  if (props.noHeader) {
    return content;
  }
  return (
    <Page themeId="tool">
      <Header
        title="Model deployments"
        subtitle="Every model in every environment"
      />
      <Content>{content}</Content>
    </Page>
  );
}
