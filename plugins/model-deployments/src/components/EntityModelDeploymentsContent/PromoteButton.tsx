import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import AcUnitIcon from '@material-ui/icons/AcUnit';
import ArrowUpwardIcon from '@material-ui/icons/ArrowUpward';
import {
  Environment,
  EnvironmentDeployments,
  EnvironmentFreeze,
  modelDeploymentsPromotePermission,
  modelEnvironmentResourceRef,
} from '@seed-mlops/plugin-model-deployments-common';
import { useState } from 'react';
import { describeFreeze } from '../common';
import { PromoteDialog } from './PromoteDialog';

/**
 * "Promote to <next environment>": enabled when the user may promote into
 * it and everything the model runs here is Ready. The backend checks again.
 * A frozen target keeps it enabled (the dialog offers force) but says so
 * up front: a snowflake and the freeze in its tooltip and description.
 */
export function PromoteButton(props: {
  entityRef: string;
  source: EnvironmentDeployments;
  target?: Environment;
  /** The target's freeze window, when one is on. */
  targetFrozen?: EnvironmentFreeze;
  onPromoted: () => void;
}) {
  const { entityRef, source, target, targetFrozen } = props;
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
  const frozenNote = targetFrozen
    ? `${target.title}: ${describeFreeze(
        targetFrozen,
      )}. Promoting needs force until then.`
    : undefined;
  return (
    <>
      <Tooltip
        title={
          reason ??
          frozenNote ??
          `Copy this model to ${target.title} through Git`
        }
      >
        {/* A span, so the tooltip also shows on a disabled button. */}
        <span>
          <Button
            size="small"
            variant="outlined"
            color="primary"
            startIcon={targetFrozen ? <AcUnitIcon /> : <ArrowUpwardIcon />}
            disabled={Boolean(reason) || permission.loading}
            {...(frozenNote && !reason
              ? { 'aria-description': frozenNote }
              : {})}
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
