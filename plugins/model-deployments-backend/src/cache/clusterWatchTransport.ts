import type { Watch } from '@kubernetes/client-node';
import { ModelClusterClient } from '@seed-mlops/plugin-model-deployments-node';

/**
 * The `Watch` a `ListWatch` watches through: ListWatch only calls
 * `watch(path, query, callback, done)` on it, which this carries out with
 * the cluster client, so watches go where the client sends them. `onEvent`
 * sees each event first and passes it on to ListWatch with `deliver`;
 * `onEnd` hears that the watch ended before ListWatch does.
 */
export function clusterWatchTransport(
  client: ModelClusterClient,
  cluster: string,
  handlers: {
    onEvent: (type: string, object: any, deliver: () => void) => void;
    onEnd: () => void;
  },
): Watch {
  const transport = {
    watch: (
      path: string,
      query: Record<string, string>,
      callback: (type: string, object: any) => void,
      done: (error: unknown) => void,
    ) =>
      client.watch(
        cluster,
        path,
        query,
        (type, object) =>
          handlers.onEvent(type, object, () => callback(type, object)),
        error => {
          handlers.onEnd();
          done(error ?? null);
        },
      ),
  };
  return transport as unknown as Watch;
}
