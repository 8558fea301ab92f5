import Alert from '@material-ui/lab/Alert';

/** Tells the user the data comes from the built-in demo cluster. */
export function DemoBanner() {
  return (
    <Alert severity="info" role="status">
      <strong>Demo data</strong> — these deployments come from the built-in demo
      cluster, not from a real one.
    </Alert>
  );
}
