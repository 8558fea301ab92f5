import { createHash } from 'crypto';
import express from 'express';

/** `"syncedAt":"…"` as JSON.stringify writes it: an ISO time has no quotes or escapes. */
const SYNCED_AT = /"syncedAt":"[^"]*"/g;

/**
 * Sends a read view with an ETag over what it says: `syncedAt` (now, for a
 * watch that is connected) is left out of the tag, so an unchanged view is
 * a 304 (Express answers it when If-None-Match matches). `private,
 * no-cache`: each user's view, always revalidated.
 */
export function sendView(res: express.Response, view: object): void {
  // One serialization, compact whatever the app's `json spaces`: a fleet
  // of a thousand models is a megabyte, and each pass over it costs.
  const body = JSON.stringify(view);
  const stable = body.replace(SYNCED_AT, '');
  const tag = createHash('sha1').update(stable).digest('base64url');
  res.setHeader('ETag', `W/"${tag}"`);
  res.setHeader('Cache-Control', 'private, no-cache');
  res.type('json').send(body);
}
