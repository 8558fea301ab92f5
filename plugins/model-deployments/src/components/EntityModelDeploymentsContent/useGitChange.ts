import {
  PromotionResult,
  PromotionStrategy,
} from '@seed-mlops/plugin-model-deployments-common';
import { useEffect, useRef, useState } from 'react';

/** The requests of one change to Git: its dry-run preview, then the real one. */
export interface GitChangeRequests {
  /** The dry run's answer: what the change would do. */
  preview?: PromotionResult;
  /**
   * True when `preview` answers a forced dry run. A preview is kept while
   * the next dry run is asked and when it fails, so this says which it is.
   */
  forced: boolean;
  /** The change's answer, once it succeeded. */
  result?: PromotionResult;
  /** The error of the latest request. */
  error?: Error;
  /** True while a request is in flight, the preview's included. */
  busy: boolean;
  /** Makes the change with `strategy`; calls `onDone` when it succeeds. */
  run: (strategy: PromotionStrategy) => void;
}

/** What a request adds to the change's own fields. */
export type GitChangeRequest =
  | { dryRun: true; force?: true }
  | { strategy: PromotionStrategy; force?: true };

/**
 * Previews a promotion or rollback with a dry run right away, and again
 * whenever `key` (what is changed) or `force` changes, and makes it on
 * demand (forced when `force` is).
 */
export function useGitChange(options: {
  /** Sends one request of the change. */
  send: (request: GitChangeRequest) => Promise<PromotionResult>;
  /** What is changed, as a string: callers pass a new `send` each render. */
  key: string;
  force?: boolean;
  onDone: () => void;
}): GitChangeRequests {
  const { key, onDone } = options;
  const force = Boolean(options.force);
  const sendRef = useRef(options.send);
  sendRef.current = options.send;
  const [preview, setPreview] = useState<PromotionResult>();
  const [forced, setForced] = useState(false);
  const [result, setResult] = useState<PromotionResult>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(true);

  useEffect(() => {
    // Drops a late answer once the dialog is closed or asks about another change.
    let current = true;
    setBusy(true);
    setError(undefined);
    sendRef
      // Only sent when set: a forced request needs the force-promote permission.
      .current({ dryRun: true, ...(force ? { force } : {}) })
      .then(
        value => {
          if (!current) return;
          setPreview(value);
          setForced(force);
        },
        (e: Error) => current && setError(e),
      )
      .finally(() => current && setBusy(false));
    return () => {
      current = false;
    };
  }, [key, force]);

  const run = (strategy: PromotionStrategy) => {
    setBusy(true);
    setError(undefined);
    sendRef
      .current({ strategy, ...(force ? { force } : {}) })
      .then(value => {
        setResult(value);
        onDone();
      }, setError)
      .finally(() => setBusy(false));
  };

  return { preview, forced, result, error, busy, run };
}
