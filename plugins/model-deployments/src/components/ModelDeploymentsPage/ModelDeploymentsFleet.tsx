import { ResponseErrorPanel } from '@backstage/core-components';
import Skeleton from '@material-ui/lab/Skeleton';
import { FleetView } from './FleetView';
import { useFleet } from './useFleet';

/** The fleet page content without the page chrome. */
export function ModelDeploymentsFleet(props: {
  refreshIntervalMs?: number;
  pageSize?: number;
}) {
  const { value, error, loading, refresh } = useFleet(props.refreshIntervalMs);

  if (!value && error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (!value) {
    return (
      <div data-testid="model-deployments-fleet-loading">
        <Skeleton variant="rect" height={72} />
        {[0, 1, 2, 3, 4].map(i => (
          <Skeleton key={i} variant="text" height={40} />
        ))}
      </div>
    );
  }
  return (
    <FleetView
      fleet={value}
      loading={loading}
      refreshError={error}
      onRefresh={refresh}
      pageSize={props.pageSize}
    />
  );
}
