import { configApiRef, useApi } from '@backstage/core-plugin-api';
import Alert from '@material-ui/lab/Alert';

/** Whether the example backend serves its built-in demo cluster. */
export function useDemoData(): boolean {
  const config = useApi(configApiRef);
  return (
    config.getOptionalBoolean('modelDeployments.demoCluster.enabled') ?? false
  );
}

/**
 * Tells the user the deployments come from the example portal's demo
 * cluster. The plugins know nothing of the demo; only this portal does.
 */
export function DemoDataBanner() {
  if (!useDemoData()) return null;
  return (
    <Alert severity="info" role="status">
      <strong>Demo data</strong> — these deployments come from the built-in demo
      cluster, not from a real one.
    </Alert>
  );
}
