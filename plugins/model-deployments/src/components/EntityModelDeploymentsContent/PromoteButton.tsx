import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormLabel from '@material-ui/core/FormLabel';
import LinearProgress from '@material-ui/core/LinearProgress';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ArrowUpwardIcon from '@material-ui/icons/ArrowUpward';
import Alert from '@material-ui/lab/Alert';
import {
  Environment,
  EnvironmentDeployments,
  PromotionResult,
  PromotionStrategy,
  modelDeploymentsPromotePermission,
  modelEnvironmentResourceRef,
} from '@seed-mlops/plugin-model-deployments-common';
import { useEffect, useState } from 'react';
import { modelDeploymentsApiRef } from '../../api';

const useStyles = makeStyles(theme => ({
  diff: {
    fontFamily: 'monospace',
    fontSize: theme.typography.caption.fontSize,
    background: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    padding: theme.spacing(1),
    maxHeight: 360,
    overflow: 'auto',
    whiteSpace: 'pre',
    margin: 0,
  },
  added: { color: theme.palette.success.main },
  removed: { color: theme.palette.error.main },
  section: {
    marginBottom: theme.spacing(2),
  },
}));

/** The backend's own message (it names the field or reason), else the error's. */
function messageOf(error: Error): string {
  return (error as ResponseError).body?.error?.message ?? error.message;
}

/** The strategy promotions into `target` use unless the user picks another. */
export function defaultStrategy(target: Environment): PromotionStrategy {
  return (
    target.gitops?.promotionStrategy ??
    (target.restricted ? 'pull-request' : 'commit')
  );
}

function Diff(props: { diff: string }) {
  const classes = useStyles();
  return (
    <pre className={classes.diff} aria-label="Changes">
      {props.diff.split('\n').map((line, index) => {
        let kind: string | undefined;
        if (line.startsWith('+') && !line.startsWith('+++')) {
          kind = classes.added;
        } else if (line.startsWith('-') && !line.startsWith('---')) {
          kind = classes.removed;
        }
        return (
          <div key={index} className={kind}>
            {line || ' '}
          </div>
        );
      })}
    </pre>
  );
}

function ResultLink(props: { result: PromotionResult }) {
  const { result } = props;
  if (result.pullRequest) {
    return (
      <Link to={result.pullRequest.url}>
        Pull request #{result.pullRequest.number}
      </Link>
    );
  }
  if (result.commit?.url) {
    return (
      <Link to={result.commit.url}>Commit {result.commit.sha.slice(0, 7)}</Link>
    );
  }
  if (result.commit) {
    return (
      <Typography variant="body2" component="span">
        Commit <code>{result.commit.sha.slice(0, 7)}</code>
        {result.branch ? ` on branch ${result.branch}` : ''}
      </Typography>
    );
  }
  return null;
}

function PromoteDialog(props: {
  entityRef: string;
  source: Environment;
  target: Environment;
  onClose: () => void;
  onPromoted: () => void;
}) {
  const classes = useStyles();
  const api = useApi(modelDeploymentsApiRef);
  const { entityRef, source, target } = props;
  const [strategy, setStrategy] = useState(defaultStrategy(target));
  const [preview, setPreview] = useState<PromotionResult>();
  const [result, setResult] = useState<PromotionResult>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(true);

  useEffect(() => {
    let current = true;
    api
      .promote({ entityRef, from: source.name, to: target.name, dryRun: true })
      .then(
        value => current && setPreview(value),
        (e: Error) => current && setError(e),
      )
      .finally(() => current && setBusy(false));
    return () => {
      current = false;
    };
  }, [api, entityRef, source.name, target.name]);

  const promote = () => {
    setBusy(true);
    setError(undefined);
    api
      .promote({ entityRef, from: source.name, to: target.name, strategy })
      .then(value => {
        setResult(value);
        props.onPromoted();
      }, setError)
      .finally(() => setBusy(false));
  };

  const upToDate = preview?.status === 'up-to-date';
  return (
    <Dialog
      open
      onClose={props.onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="model-deployments-promote-title"
    >
      <DialogTitle id="model-deployments-promote-title">
        {`Promote from ${source.title} to ${target.title}`}
      </DialogTitle>
      <DialogContent>
        {busy && <LinearProgress aria-label="Working" />}
        {error && (
          <Alert severity="error" className={classes.section}>
            {messageOf(error)}
          </Alert>
        )}
        {result ? (
          <Alert severity="success" className={classes.section}>
            <Typography variant="body2">{result.message}</Typography>
            <ResultLink result={result} />
          </Alert>
        ) : (
          preview && (
            <>
              <Typography variant="body2" className={classes.section}>
                {preview.message}
              </Typography>
              {preview.clusterCheck && (
                <Alert
                  severity={
                    preview.clusterCheck.state === 'accepted'
                      ? 'success'
                      : 'info'
                  }
                  className={classes.section}
                >
                  {preview.clusterCheck.message}
                </Alert>
              )}
              {!upToDate && (
                <>
                  <FormControl component="fieldset" className={classes.section}>
                    <FormLabel component="legend">How</FormLabel>
                    <RadioGroup
                      row
                      value={strategy}
                      onChange={event =>
                        setStrategy(event.target.value as PromotionStrategy)
                      }
                    >
                      <FormControlLabel
                        value="commit"
                        control={<Radio />}
                        label="Commit to the branch"
                      />
                      <FormControlLabel
                        value="pull-request"
                        control={<Radio />}
                        label="Open a pull request"
                      />
                    </RadioGroup>
                  </FormControl>
                  {preview.diffWithheld ? (
                    <Alert severity="info">
                      {preview.diffWithheld}. Files:{' '}
                      {preview.files
                        .map(file => `${file.path} (${file.change})`)
                        .join(', ')}
                    </Alert>
                  ) : (
                    <Diff diff={preview.diff} />
                  )}
                </>
              )}
            </>
          )
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{result ? 'Close' : 'Cancel'}</Button>
        {!result && (
          <Button
            color="primary"
            variant="contained"
            disabled={busy || !preview || upToDate}
            onClick={promote}
          >
            {strategy === 'pull-request' ? 'Propose' : 'Promote'}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}

/**
 * "Promote to <next environment>": enabled when the user may promote into
 * it and everything the model runs here is Ready. The backend checks again.
 */
export function PromoteButton(props: {
  entityRef: string;
  source: EnvironmentDeployments;
  target?: Environment;
  onPromoted: () => void;
}) {
  const { entityRef, source, target } = props;
  const [open, setOpen] = useState(false);
  const permission = usePermission({
    permission: modelDeploymentsPromotePermission,
    resourceRef: modelEnvironmentResourceRef(target?.name ?? '', entityRef),
  });
  if (!target || source.deployments.length === 0) return null;
  const notReady = source.deployments.find(d => d.phase !== 'Ready');
  const drifted = source.deployments.find(d => d.sync?.state === 'OutOfSync');
  let reason: string | undefined;
  if (!target.gitops) {
    reason = `${target.title} has no GitOps source to promote into.`;
  } else if (notReady) {
    reason = `${notReady.name} is ${notReady.phase} here; only Ready deployments are promoted.`;
  } else if (drifted) {
    reason = `${drifted.name} here is out of sync with Git: what Git holds has not run here yet.`;
  } else if (!permission.loading && !permission.allowed) {
    reason = `You may not promote into ${target.title}.`;
  }
  return (
    <>
      <Tooltip
        title={reason ?? `Copy this model to ${target.title} through Git`}
      >
        {/* A span, so the tooltip also shows on a disabled button. */}
        <span>
          <Button
            size="small"
            variant="outlined"
            color="primary"
            startIcon={<ArrowUpwardIcon />}
            disabled={Boolean(reason) || permission.loading}
            onClick={() => setOpen(true)}
          >
            {`Promote to ${target.title}`}
          </Button>
        </span>
      </Tooltip>
      {open && (
        <PromoteDialog
          entityRef={entityRef}
          source={source.environment}
          target={target}
          onClose={() => setOpen(false)}
          onPromoted={props.onPromoted}
        />
      )}
    </>
  );
}
