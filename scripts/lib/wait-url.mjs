// Waits until a URL answers 2xx (each request given 5 s), polling every
// 0.25 s, for wait_for_url of daemons.sh.
//
//   node wait-url.mjs URL SECONDS [PID]
//
// Exits 0 once it answers, 3 as soon as process PID (the daemon serving it)
// is gone, 1 when SECONDS pass.
import { waitFor } from './poll.mjs';

const [url, seconds, pid] = process.argv.slice(2);

function alive(p) {
  try {
    process.kill(Number(p), 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

const outcome = await waitFor(
  async () => {
    if (pid && !alive(pid)) return 'exited';
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return 'ready';
  },
  { timeoutMs: Number(seconds) * 1000, intervalMs: 250, orElse: 'timeout' },
);
process.exit({ ready: 0, exited: 3 }[outcome] ?? 1);
