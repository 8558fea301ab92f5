import { KubeApiError } from './KubeApiError';
import { KubeResponse } from './kubeHttp';

/** A served resource, from the API server's discovery. */
export interface KubeResource {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /** True when `<plural>/status` is served: status is then only written there. */
  hasStatusSubresource: boolean;
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` for the others. */
export function apiPathOf(apiVersion: string) {
  return apiVersion.includes('/')
    ? `/apis/${apiVersion}`
    : `/api/${apiVersion}`;
}

/** The API server's resource lists, one per API version, fetched once each. */
export class ResourceDiscovery {
  private readonly lists = new Map<string, Promise<any>>();

  constructor(private readonly get: (path: string) => Promise<KubeResponse>) {}

  /** The resource serving `kind` in `apiVersion`, from discovery (cached). */
  async resourceFor(apiVersion: string, kind: string): Promise<KubeResource> {
    let list = this.lists.get(apiVersion);
    if (!list) {
      list = this.get(apiPathOf(apiVersion)).then(res => {
        if (res.status !== 200) {
          throw new KubeApiError(
            `Discovering ${apiVersion} (is its CustomResourceDefinition installed?)`,
            res.status,
            res.body,
          );
        }
        return res.body;
      });
      // A failed look-up is not cached: the CRD may be installed meanwhile.
      list.catch(() => this.lists.delete(apiVersion));
      this.lists.set(apiVersion, list);
    }
    const resources: any[] = (await list).resources ?? [];
    const main = resources.find(r => r.kind === kind && !r.name.includes('/'));
    if (!main) {
      throw new Error(
        `The API server does not serve kind ${kind} in ${apiVersion}; it serves ${resources
          .filter(r => !r.name.includes('/'))
          .map(r => r.kind)
          .join(', ')}`,
      );
    }
    return {
      apiVersion,
      kind,
      plural: main.name,
      namespaced: Boolean(main.namespaced),
      hasStatusSubresource: resources.some(
        r => r.name === `${main.name}/status`,
      ),
    };
  }
}
