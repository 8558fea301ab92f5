import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import {
  Environment,
  RollbackTarget,
} from '@seed-mlops/plugin-model-deployments-common';
import { useState } from 'react';
import { ChangeDialogContent, defaultStrategy } from './ChangeDialogContent';
import { FreezeAlert, frozenReason } from './FreezeAlert';
import { ForceOption } from './ForceOption';
import { usePromoteStyles } from './promoteStyles';
import { useRollback } from './useRollback';

/**
 * Rolls a model's manifests in `environment` back to `to`: shows the dry
 * run's preview and the environment's freeze window when one is on, lets
 * the user pick how (and force past the freeze), then shows the commit or
 * pull request made. Nothing is rewritten: the rollback is a new change.
 */
export function RollbackDialog(props: {
  entityRef: string;
  environment: Environment;
  to: RollbackTarget;
  /** The target as people read it: a short commit id. */
  label: string;
  /** What is restored, in a sentence. */
  description: string;
  onClose: () => void;
  onRolledBack: () => void;
}) {
  const classes = usePromoteStyles();
  const { entityRef, environment, to } = props;
  const [strategy, setStrategy] = useState(defaultStrategy(environment));
  const [force, setForce] = useState(false);
  const { preview, forced, result, error, busy, rollBack } = useRollback({
    entityRef,
    environment: environment.name,
    to,
    force,
    onRolledBack: props.onRolledBack,
  });

  const upToDate = preview?.status === 'up-to-date';
  const frozen = preview?.frozen;
  // A freeze refuses the rollback unless a forced dry run went through.
  const blocked =
    frozen && !(force && forced)
      ? frozenReason(environment, frozen, 'rollback')
      : undefined;
  return (
    <Dialog
      open
      onClose={props.onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="model-deployments-rollback-title"
    >
      <DialogTitle id="model-deployments-rollback-title">
        {`Roll back ${environment.title} to ${props.label}`}
      </DialogTitle>
      <DialogContent>
        {!result && (
          <Typography variant="body2" className={classes.section}>
            {props.description} The rollback is a new commit or pull request;
            the history is not rewritten.
          </Typography>
        )}
        <ChangeDialogContent
          busy={busy}
          error={error}
          preview={preview}
          result={result}
          strategy={strategy}
          onStrategyChange={setStrategy}
          verification={
            (frozen || force) && (
              <>
                {frozen && (
                  <FreezeAlert
                    environment={environment}
                    frozen={frozen}
                    change="rollback"
                    force={force}
                  />
                )}
                <ForceOption
                  entityRef={entityRef}
                  environment={environment}
                  frozen
                  failedGates={false}
                  force={force}
                  onForceChange={setForce}
                  disabled={busy}
                />
              </>
            )
          }
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{result ? 'Close' : 'Cancel'}</Button>
        {!result && (
          <Tooltip title={blocked ?? ''}>
            {/* A span, so the tooltip also shows on a disabled button. */}
            <span>
              <Button
                color="primary"
                variant="contained"
                disabled={busy || !preview || upToDate || Boolean(blocked)}
                onClick={() => rollBack(strategy)}
              >
                Roll back
              </Button>
            </span>
          </Tooltip>
        )}
      </DialogActions>
    </Dialog>
  );
}
