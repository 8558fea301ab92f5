import { ClusterRequestError } from '@seed-mlops/plugin-model-deployments-node';

const MIN_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
/** Quick retries of a 429 before it shows as an error. */
const MAX_QUIET_RETRIES = 3;

/**
 * When an informer connects again: after a failure with exponential
 * backoff, and never more than one reconnect planned at a time.
 */
export class ReconnectSchedule {
  private backoffMs = MIN_BACKOFF_MS;
  /** 429s in a row, retried without showing an error. */
  private transientFailures = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly reconnect: () => void) {}

  /** The connection works again: the next failure starts the backoff over. */
  reset() {
    this.transientFailures = 0;
    this.backoffMs = MIN_BACKOFF_MS;
  }

  /**
   * A real API server answers 429 "storage is (re)initializing" for a
   * second or two, e.g. to every kind of a group whose CRD changed: retry
   * soon and keep showing the last data before calling it a failure.
   * Returns whether the error is retried that way.
   */
  retryQuietly(error: unknown): boolean {
    if (
      !(error instanceof ClusterRequestError) ||
      error.statusCode !== 429 ||
      this.transientFailures >= MAX_QUIET_RETRIES
    ) {
      return false;
    }
    this.transientFailures++;
    this.reconnectIn(MIN_BACKOFF_MS);
    return true;
  }

  /**
   * Reconnects after the current backoff, which then doubles up to its
   * maximum; `longest` waits the maximum instead.
   */
  afterFailure({ longest }: { longest: boolean }) {
    const delay = longest ? MAX_BACKOFF_MS : this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    this.reconnectIn(delay);
  }

  /** Reconnects at once; a failure after that starts the backoff over. */
  now() {
    this.backoffMs = MIN_BACKOFF_MS;
    this.reconnectIn(0);
  }

  cancel() {
    clearTimeout(this.timer);
  }

  /** Connects again after `delayMs`, replacing any reconnect already planned. */
  private reconnectIn(delayMs: number) {
    clearTimeout(this.timer);
    this.timer = setTimeout(this.reconnect, delayMs);
    this.timer.unref?.();
  }
}
