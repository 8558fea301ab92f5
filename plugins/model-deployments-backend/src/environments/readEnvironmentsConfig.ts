import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  Environment,
  branchNameProblem,
  gitopsTargetsOverlap,
  isDns1123Label,
  normalizeGitOpsPath,
  repoUrlProblem,
} from '@seed-mlops/plugin-model-deployments-common';
import { GitHostAllowList } from '../gitops/GitHostAllowList';

/** Gap between the stages of configured environments, so discovered ones can sit between. */
export const CONFIG_STAGE_STEP = 10;

/**
 * Reads `modelDeployments.environments`, an ordered list: the first entry is
 * the least stable stage. Throws at startup on a config mistake, naming the key.
 */
export function readEnvironmentsConfig(
  config: Config,
  allowList?: GitHostAllowList,
): Environment[] {
  const entries =
    config.getOptionalConfigArray('modelDeployments.environments') ?? [];
  const seen = new Map<string, string>();
  const environments = entries.map((entry, index) => {
    const key = `modelDeployments.environments[${index}]`;
    const name = entry.getString('name');
    if (!isDns1123Label(name)) {
      throw new InputError(
        `${key}.name '${name}' must be a DNS-1123 label (lowercase letters, digits and '-')`,
      );
    }
    const namespace = entry.getOptionalString('namespace');
    if (namespace !== undefined && !isDns1123Label(namespace)) {
      throw new InputError(
        `${key}.namespace '${namespace}' is not a valid namespace name`,
      );
    }
    const cluster = entry.getString('cluster');
    const place = `${cluster}/${namespace ?? '*'}`;
    if (seen.has(name)) {
      throw new InputError(
        `${key}.name '${name}' is used twice in modelDeployments.environments`,
      );
    }
    for (const [otherName, otherPlace] of seen) {
      if (otherPlace === place) {
        throw new InputError(
          `${key} points at ${place}, which environment '${otherName}' already uses`,
        );
      }
    }
    seen.set(name, place);
    const gitops = entry.getOptionalConfig('gitops');
    const environment: Environment = {
      name,
      title: entry.getOptionalString('title') ?? name,
      stage:
        entry.getOptionalNumber('stage') ?? (index + 1) * CONFIG_STAGE_STEP,
      cluster,
      ...(namespace ? { namespace } : {}),
      restricted: entry.getOptionalBoolean('restricted') ?? false,
      origin: 'config',
    };
    if (gitops) {
      const repoUrl = gitops.getString('repoUrl');
      const urlProblem = repoUrlProblem(repoUrl);
      if (urlProblem) {
        throw new InputError(`${key}.gitops.repoUrl ${urlProblem}`);
      }
      allowList?.assertAllowed(`${key}.gitops.repoUrl`, repoUrl);
      const branch = gitops.getOptionalString('branch');
      const branchProblem =
        branch === undefined ? undefined : branchNameProblem(branch);
      if (branchProblem) {
        throw new InputError(`${key}.gitops.branch ${branchProblem}`);
      }
      const folder = normalizeGitOpsPath(
        gitops.getOptionalString('path') ?? namespace ?? name,
      );
      if ('problem' in folder) {
        throw new InputError(`${key}.gitops.path ${folder.problem}`);
      }
      environment.gitops = {
        repoUrl,
        ...(branch ? { branch } : {}),
        path: folder.path,
      };
      const strategy = gitops.getOptionalString('promotionStrategy');
      if (strategy !== undefined) {
        if (strategy !== 'commit' && strategy !== 'pull-request') {
          throw new InputError(
            `${key}.gitops.promotionStrategy must be 'commit' or 'pull-request', not '${strategy}'`,
          );
        }
        environment.gitops.promotionStrategy = strategy;
      }
    }
    return environment;
  });
  // Whoever may promote into one environment must not write another's state.
  environments.forEach((env, index) => {
    const other = environments
      .slice(0, index)
      .find(
        e =>
          e.gitops && env.gitops && gitopsTargetsOverlap(e.gitops, env.gitops),
      );
    if (other) {
      throw new InputError(
        `modelDeployments.environments[${index}].gitops points at the GitOps folder of environment '${other.name}' (or one inside or around it); each environment needs a folder of its own`,
      );
    }
  });
  return environments;
}

/** Sorts by stage, then name, so the pipeline always reads dev → production. */
export function byStage(a: Environment, b: Environment) {
  return a.stage - b.stage || a.name.localeCompare(b.name);
}
