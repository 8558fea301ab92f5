import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Tooltip from '@material-ui/core/Tooltip';
import { Environment } from '@seed-mlops/plugin-model-deployments-common';
import { useState } from 'react';
import { ApprovalNeededAlert } from './ApprovalNeededAlert';
import { ChangeDialogContent, defaultStrategy } from './ChangeDialogContent';
import { FreezeAlert, frozenReason } from './FreezeAlert';
import { ForceOption } from './ForceOption';
import { PromotionGates, failedGates } from './PromotionGates';
import { usePromotion } from './usePromotion';

/**
 * Promotes a model from `source` to `target`: shows the dry run's preview,
 * the target's freeze window when one is on, its approval when it requires
 * one, and the source's verification gates, lets the user pick how (and
 * force past the freeze and failing gates), then shows the commit or pull
 * request made, or that the promotion waits for approval.
 */
export function PromoteDialog(props: {
  entityRef: string;
  source: Environment;
  target: Environment;
  onClose: () => void;
  onPromoted: () => void;
}) {
  const { entityRef, source, target } = props;
  const [strategy, setStrategy] = useState(defaultStrategy(target));
  const [force, setForce] = useState(false);
  const { preview, forced, result, error, busy, promote } = usePromotion({
    entityRef,
    source,
    target,
    force,
    onPromoted: props.onPromoted,
  });

  const upToDate = preview?.status === 'up-to-date';
  const frozen = preview?.frozen;
  const failed = failedGates(preview?.gates);
  const gatesReason = `Verification of ${source.title} failed: ${failed
    .map(gate => gate.name)
    .join(', ')}. Promote once the gates pass, or force the promotion.`;
  // A freeze of the target and failing gates refuse the promotion unless a
  // forced dry run went through.
  const refusals: string[] = [];
  if (!(force && forced)) {
    if (frozen) refusals.push(frozenReason(target, frozen, 'promotion'));
    if (failed.length > 0) refusals.push(gatesReason);
  }
  const blocked = refusals.length > 0 ? refusals.join(' ') : undefined;
  const label = strategy === 'pull-request' ? 'Propose' : 'Promote';
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
        <ChangeDialogContent
          busy={busy}
          error={error}
          preview={preview}
          result={result}
          strategy={strategy}
          onStrategyChange={setStrategy}
          verification={
            <>
              {frozen && (
                <FreezeAlert
                  environment={target}
                  frozen={frozen}
                  change="promotion"
                  force={force}
                />
              )}
              {preview?.approval && (
                <ApprovalNeededAlert
                  approval={preview.approval}
                  strategy={strategy}
                />
              )}
              <PromotionGates gates={preview?.gates} force={force} />
              {/* Kept while forced, should the forced dry run need it no more. */}
              {(frozen || failed.length > 0 || force) && (
                <ForceOption
                  entityRef={entityRef}
                  environment={target}
                  frozen={Boolean(frozen)}
                  failedGates={failed.length > 0}
                  force={force}
                  onForceChange={setForce}
                  disabled={busy}
                />
              )}
            </>
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
                onClick={() => promote(strategy)}
              >
                {label}
              </Button>
            </span>
          </Tooltip>
        )}
      </DialogActions>
    </Dialog>
  );
}
