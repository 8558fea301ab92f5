import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { optionalDurationMs } from '../../options/readOptions';

/** Who must approve a promotion into one environment, and how long they have. */
export interface ApprovalPolicy {
  /** How many approvals, from different people. */
  required: number;
  /** Full group entity refs; their members approve, the requester excepted. */
  groups: string[];
  expiresAfterMs: number;
}

/** Long enough to span a weekend; short enough that nothing stale lands. */
const DEFAULT_EXPIRY_MS = 3 * 24 * 60 * 60 * 1000;
const MAX_REQUIRED = 10;

/**
 * Reads `approval` of each entry of `modelDeployments.environments`, by
 * environment name. Throws at startup on a mistake, naming the key.
 */
export function readApprovalConfig(
  config: Config,
): Map<string, ApprovalPolicy> {
  const policies = new Map<string, ApprovalPolicy>();
  const entries =
    config.getOptionalConfigArray('modelDeployments.environments') ?? [];
  entries.forEach((entry, index) => {
    const approval = entry.getOptionalConfig('approval');
    if (!approval) return;
    const key = `modelDeployments.environments[${index}].approval`;
    const groups = approval.getStringArray('groups').map(group => {
      try {
        const ref = parseEntityRef(group, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        });
        if (ref.kind.toLocaleLowerCase('en-US') !== 'group') {
          throw new Error(`it names a ${ref.kind}`);
        }
        return stringifyEntityRef(ref);
      } catch (error) {
        throw new InputError(
          `${key}.groups: '${group}' is not a group entity ref (${
            (error as Error).message
          }); expected e.g. group:default/release-managers`,
        );
      }
    });
    if (groups.length === 0) {
      throw new InputError(`${key}.groups must name at least one group`);
    }
    const required = approval.getOptionalNumber('required') ?? 1;
    if (
      !Number.isInteger(required) ||
      required < 1 ||
      required > MAX_REQUIRED
    ) {
      throw new InputError(
        `${key}.required must be a whole number from 1 to ${MAX_REQUIRED}`,
      );
    }
    const expiresAfterMs =
      optionalDurationMs(approval, 'expiresAfter') ?? DEFAULT_EXPIRY_MS;
    if (expiresAfterMs <= 0) {
      throw new InputError(`${key}.expiresAfter must be longer than zero`);
    }
    policies.set(entry.getString('name'), {
      required,
      groups: [...new Set(groups)],
      expiresAfterMs,
    });
  });
  return policies;
}
