import { EmptyState } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  KUBERNETES_ID_LABEL,
  MODEL_DEPLOYMENTS_NAME_ANNOTATION,
  MODEL_DEPLOYMENTS_SELECTOR_ANNOTATION,
} from '@seed-mlops/plugin-model-deployments-common';

const useStyles = makeStyles(theme => ({
  code: {
    fontFamily: 'monospace',
    backgroundColor: theme.palette.action.hover,
    padding: theme.spacing(0, 0.5),
    borderRadius: 2,
  },
}));

function Code(props: { children: string }) {
  const classes = useStyles();
  return <code className={classes.code}>{props.children}</code>;
}

/** What the entity tab says when no environment runs the model. */
export function NoDeploymentsState() {
  return (
    <EmptyState
      missing="data"
      title="No model deployments found"
      description={
        <>
          <Typography variant="body1" paragraph>
            No environment runs a model-serving resource for this entity. The
            plugin finds resources in this order:
          </Typography>
          <ul>
            <li>
              <Code>{MODEL_DEPLOYMENTS_NAME_ANNOTATION}</Code>: the resource
              name, the same in every environment.
            </li>
            <li>
              <Code>{MODEL_DEPLOYMENTS_SELECTOR_ANNOTATION}</Code>: a label
              selector such as <Code>app=recommender</Code>, for models made of
              several resources.
            </li>
            <li>
              Otherwise, resources labelled{' '}
              <Code>{`${KUBERNETES_ID_LABEL}=<entity name>`}</Code>, as for the
              Kubernetes plugin (from the <Code>{KUBERNETES_ID_LABEL}</Code>{' '}
              annotation).
            </li>
          </ul>
        </>
      }
    />
  );
}
