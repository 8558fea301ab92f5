/** Polls every 100 ms until `done` accepts the value, at most `attempts` times (5 s by default); returns the last value. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  attempts = 50,
): Promise<T> {
  let value = await read();
  for (let attempt = 0; attempt < attempts && !done(value); attempt++) {
    await new Promise(resolve => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

/**
 * Polls `read` every 50 ms until `done` accepts its value, for at most
 * `withinMs`; returns the last value and how long it took, for tests that
 * assert how soon a change shows.
 */
export async function within<T>(
  withinMs: number,
  read: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  let value = await read();
  while (!done(value) && Date.now() - started < withinMs) {
    await new Promise(resolve => setTimeout(resolve, 50));
    value = await read();
  }
  return { value, ms: Date.now() - started };
}
