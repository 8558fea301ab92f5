import { CatalogService } from '@backstage/plugin-catalog-node';
import { PromotionActor } from '@seed-mlops/plugin-model-deployments-node';

/**
 * A commit message as Seldon Enterprise Platform writes them: JSON with the
 * action, the message and who asked (their catalog profile when they are a
 * user), so the history view reads who promoted or rolled back.
 */
export async function commitMessage(
  catalog: CatalogService,
  actor: PromotionActor,
  what: { action: string; text: string },
): Promise<string> {
  let name = actor.ref;
  let email = '';
  if (actor.ref.startsWith('user:')) {
    const user = await catalog
      .getEntityByRef(actor.ref, { credentials: actor.credentials })
      .catch(() => undefined);
    const profile = (user?.spec as any)?.profile ?? {};
    name = profile.displayName ?? user?.metadata.name ?? actor.ref;
    email = profile.email ?? '';
  }
  return JSON.stringify({
    Action: what.action,
    Message: what.text,
    Author: name,
    Email: email,
  });
}
