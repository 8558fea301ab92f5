import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import ArrowUpwardIcon from '@material-ui/icons/ArrowUpward';
import {
  Environment,
  EnvironmentDeployments,
  modelDeploymentsPromotePermission,
  modelEnvironmentResourceRef,
} from '@seed-mlops/plugin-model-deployments-common';
import { useState } from 'react';
import { PromoteDialog } from './PromoteDialog';

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
