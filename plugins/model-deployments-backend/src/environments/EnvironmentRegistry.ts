import {
  Environment,
  SkippedEnvironment,
  branchNameProblem,
  gitopsTargetsOverlap,
  normalizeGitOpsPath,
  repoUrlProblem,
} from '@seed-mlops/plugin-model-deployments-common';
import { NamespaceDiscovery } from './NamespaceDiscovery';
import { byStage } from './readEnvironmentsConfig';

/** Why a discovered environment's GitOps annotations cannot be used. */
function gitopsProblem(env: Environment): string | undefined {
  if (!env.gitops) return undefined;
  const { repoUrl, branch, path } = env.gitops;
  const url = repoUrlProblem(repoUrl);
  if (url) return `its repository annotation ${url}`;
  const branchProblem =
    branch === undefined ? undefined : branchNameProblem(branch);
  if (branchProblem) return `its branch annotation ${branchProblem}`;
  const folder = normalizeGitOpsPath(path ?? '');
  if ('problem' in folder) return `its path annotation ${folder.problem}`;
  if (!folder.path) return 'its path annotation names the repository root';
  return undefined;
}

/**
 * All environments in stage order: those declared in config, plus those
 * discovered from namespace labels. A configured environment wins over a
 * discovered one with the same name or the same cluster and namespace. A
 * discovered environment whose GitOps folder is another environment's (or
 * inside or around it), or whose annotations are malformed, is skipped and
 * reported: sharing a folder would let whoever promotes into one write the
 * other's desired state.
 */
export class EnvironmentRegistry {
  constructor(
    private readonly configured: Environment[],
    private readonly discovery?: NamespaceDiscovery,
  ) {}

  /** The environments, and the discovered namespaces left out with the reason. */
  resolve(): { environments: Environment[]; skipped: SkippedEnvironment[] } {
    const names = new Set(this.configured.map(e => e.name));
    const places = new Set(
      this.configured.map(e => `${e.cluster}/${e.namespace ?? '*'}`),
    );
    const taken = [...this.configured];
    const skipped: SkippedEnvironment[] = [];
    const discovered = [...(this.discovery?.environments() ?? [])]
      // A stable order, so the same namespace wins every time.
      .sort((a, b) =>
        `${a.cluster}/${a.namespace}`.localeCompare(
          `${b.cluster}/${b.namespace}`,
        ),
      )
      .filter(e => {
        const place = `${e.cluster}/${e.namespace ?? '*'}`;
        if (names.has(e.name) || places.has(place)) return false;
        const skip = (reason: string) => {
          skipped.push({
            name: e.name,
            cluster: e.cluster,
            ...(e.namespace ? { namespace: e.namespace } : {}),
            reason,
          });
          return false;
        };
        const problem = gitopsProblem(e);
        if (problem) return skip(problem);
        const owner = taken.find(
          t => t.gitops && e.gitops && gitopsTargetsOverlap(t.gitops, e.gitops),
        );
        if (owner) {
          return skip(
            `its GitOps folder is that of environment '${owner.name}', or inside or around it`,
          );
        }
        names.add(e.name);
        places.add(place);
        taken.push(e);
        return true;
      });
    return {
      environments: [...this.configured, ...discovered].sort(byStage),
      skipped,
    };
  }

  list(): Environment[] {
    return this.resolve().environments;
  }

  get(name: string): Environment | undefined {
    return this.list().find(e => e.name === name);
  }
}
