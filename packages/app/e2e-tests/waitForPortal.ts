/**
 * Waits until the example backend answers and the catalog has ingested the
 * example models, so that the tests do not race the first catalog pass.
 */
const BACKEND = 'http://127.0.0.1:7007';
const DEADLINE_MS = 180_000;

async function guestToken(): Promise<string> {
  const res = await fetch(`${BACKEND}/api/auth/guest/refresh`, {
    method: 'POST',
  });
  if (!res.ok) throw new Error(`guest sign-in answered ${res.status}`);
  const body = (await res.json()) as { backstageIdentity: { token: string } };
  return body.backstageIdentity.token;
}

export default async function waitForPortal() {
  const started = Date.now();
  let last = 'no answer yet';
  while (Date.now() - started < DEADLINE_MS) {
    try {
      const token = await guestToken();
      const res = await fetch(
        `${BACKEND}/api/model-deployments/deployments?entityRef=component:default/sentiment-analysis`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      if (res.ok) return;
      last = `deployments answered ${res.status}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(`The example portal was not ready within 180 s: ${last}`);
}
