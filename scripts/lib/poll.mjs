// Polling with a deadline, for the end-to-end tests' Node scripts.
//
//   await waitFor(condition, { timeoutMs, intervalMs, what, orElse })
//
// Calls `condition()` (sync or async) until it returns a truthy value, which
// waitFor returns. A falsy value or a thrown error means "not yet"; the last
// error's message is kept as the reason. Tries once more at the deadline,
// then throws a WaitTimeout naming `what`, its `reason` the last one, or,
// when `orElse` is given (even undefined), returns `orElse` instead.

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

export class WaitTimeout extends Error {
  constructor(what, timeoutMs, reason) {
    super(
      `${what}: not after ${timeoutMs / 1000}s${reason ? `: ${reason}` : ''}`,
    );
    this.name = 'WaitTimeout';
    this.reason = reason;
  }
}

/** An error's message and, for failed fetches, the network error's code. */
export function describe(error) {
  return `${error?.message ?? error} ${error?.cause?.code ?? ''}`.trim();
}

export async function waitFor(condition, options) {
  const { timeoutMs, intervalMs = 1000, what = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let reason;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (error) {
      reason = describe(error);
    }
    const left = deadline - Date.now();
    if (left <= 0) break;
    await sleep(Math.min(intervalMs, left));
  }
  if ('orElse' in options) return options.orElse;
  throw new WaitTimeout(what, timeoutMs, reason);
}
