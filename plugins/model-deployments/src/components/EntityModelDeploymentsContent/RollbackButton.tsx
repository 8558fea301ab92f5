import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import UndoIcon from '@material-ui/icons/Undo';
import {
  Environment,
  modelDeploymentsPromotePermission,
  modelEnvironmentResourceRef,
  RollbackTarget,
} from '@seed-mlops/plugin-model-deployments-common';
import { useState } from 'react';
import { RollbackDialog } from './RollbackDialog';

/**
 * "Roll back to this": restores the model's manifests in `environment` to
 * `to`, through the confirmation dialog. Disabled, saying why, for users who
 * may not promote into the environment: a rollback writes there as a
 * promotion does. The backend checks again.
 */
export function RollbackButton(props: {
  entityRef: string;
  environment: Environment;
  to: RollbackTarget;
  /** The target as people read it: a short commit id. */
  label: string;
  /** What is restored, in a sentence. */
  description: string;
  onRolledBack: () => void;
}) {
  const { entityRef, environment, label } = props;
  const [open, setOpen] = useState(false);
  const permission = usePermission({
    permission: modelDeploymentsPromotePermission,
    resourceRef: modelEnvironmentResourceRef(environment.name, entityRef),
  });
  const reason =
    !permission.loading && !permission.allowed
      ? `You may not roll back ${environment.title}.`
      : undefined;
  return (
    <>
      <Tooltip title={reason ?? props.description}>
        {/* A span, so the tooltip also shows on a disabled button. */}
        <span>
          <Button
            size="small"
            startIcon={<UndoIcon />}
            aria-label={`Roll back ${environment.name} to ${label}`}
            disabled={Boolean(reason) || permission.loading}
            onClick={() => setOpen(true)}
          >
            Roll back to this
          </Button>
        </span>
      </Tooltip>
      {open && (
        <RollbackDialog
          entityRef={entityRef}
          environment={environment}
          to={props.to}
          label={label}
          description={props.description}
          onClose={() => setOpen(false)}
          onRolledBack={props.onRolledBack}
        />
      )}
    </>
  );
}
