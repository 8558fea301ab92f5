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
