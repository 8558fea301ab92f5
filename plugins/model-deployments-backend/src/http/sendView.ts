import { createHash } from 'crypto';
import express from 'express';

/**
 * Sends a read view with an ETag over what it says: `syncedAt` (now, for a
 * watch that is connected) is left out of the tag, so an unchanged view is
 * a 304 (Express answers it when If-None-Match matches). `private,
 * no-cache`: each user's view, always revalidated.
 */
export function sendView(res: express.Response, view: object): void {
  const stable = JSON.stringify(view, (key, value) =>
    key === 'syncedAt' ? undefined : value,
  );
  const tag = createHash('sha1').update(stable).digest('base64url');
  res.setHeader('ETag', `W/"${tag}"`);
  res.setHeader('Cache-Control', 'private, no-cache');
  res.json(view);
}
