import { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { optionalDurationMs } from '../../options/readOptions';
import { EnvironmentFreeze } from '@seed-mlops/plugin-model-deployments-common';
import { CronTime } from 'cron';

/** The refusal of a change into a frozen environment. */
export function frozenError(
  environment: string,
  frozen: EnvironmentFreeze,
  change: 'promotion' | 'rollback',
): ConflictError {
  return new ConflictError(
    `'${environment}' is frozen until ${frozen.until}: ${frozen.reason}. Wait until then, or force the ${change}`,
  );
}

/** A freeze window: an absolute range, or one starting on a cron schedule. */
export type FreezeWindow =
  | { reason: string; from: number; until: number }
  | { reason: string; cron: CronTime; timeZone: string; durationMs: number };

/** Starts far apart enough that a window lasting longer is a mistake. */
const MAX_RECURRING_MS = 31 * 24 * 3_600_000;

function readWindow(config: Config, key: string): FreezeWindow {
  const reason = config.getString('reason');
  const cron = config.getOptionalString('cron');
  if (cron !== undefined) {
    const timeZone = config.getOptionalString('timeZone') ?? 'UTC';
    let cronTime: CronTime;
    try {
      cronTime = new CronTime(cron, timeZone);
    } catch (error) {
      throw new InputError(
        `${key}.cron '${cron}' (time zone ${timeZone}) is not a valid cron expression: ${
          (error as Error).message
        }`,
      );
    }
    const durationMs = optionalDurationMs(config, 'duration');
    if (durationMs === undefined) {
      throw new InputError(`${key}.duration is required with ${key}.cron`);
    }
    if (durationMs <= 0 || durationMs > MAX_RECURRING_MS) {
      throw new InputError(
        `${key}.duration must be more than 0 and at most 31 days`,
      );
    }
    return { reason, cron: cronTime, timeZone, durationMs };
  }
  const from = Date.parse(config.getString('from'));
  const until = Date.parse(config.getString('until'));
  if (Number.isNaN(from) || Number.isNaN(until) || until <= from) {
    throw new InputError(
      `${key} needs from and until as ISO 8601 times, until after from (or cron and duration)`,
    );
  }
  return { reason, from, until };
}

/** The end of an absolute window that covers `now`, if it does. */
function absoluteEnd(
  window: Extract<FreezeWindow, { from: number }>,
  now: number,
): number | undefined {
  return window.from <= now && now < window.until ? window.until : undefined;
}

/** The time a recurring window that covers `now` ends, if one does. */
function recurringEnd(
  window: Extract<FreezeWindow, { cron: CronTime }>,
  now: number,
): number | undefined {
  // The starts in (now - duration, now]; the last one ends the freeze.
  let end: number | undefined;
  let start = window.cron
    .getNextDateFrom(new Date(now - window.durationMs), window.timeZone)
    .toMillis();
  while (start <= now) {
    end = start + window.durationMs;
    start = window.cron
      .getNextDateFrom(new Date(start), window.timeZone)
      .toMillis();
  }
  return end;
}

/**
 * The freeze windows of each environment (`freeze` of each entry of
 * `modelDeployments.environments`): while one is on, promotions and
 * rollbacks into the environment are refused unless forced.
 */
export class FreezeWindows {
  static fromConfig(config: Config): FreezeWindows {
    const windows = new Map<string, FreezeWindow[]>();
    const entries =
      config.getOptionalConfigArray('modelDeployments.environments') ?? [];
    entries.forEach((entry, index) => {
      const list = entry.getOptionalConfigArray('freeze') ?? [];
      if (list.length === 0) return;
      windows.set(
        entry.getString('name'),
        list.map((w, i) =>
          readWindow(w, `modelDeployments.environments[${index}].freeze[${i}]`),
        ),
      );
    });
    return new FreezeWindows(windows);
  }

  constructor(
    private readonly windows: Map<string, FreezeWindow[]>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The freeze on `environment` now, the one that lasts longest; none when open. */
  frozen(environment: string): EnvironmentFreeze | undefined {
    const now = this.now();
    let found: { reason: string; until: number } | undefined;
    for (const window of this.windows.get(environment) ?? []) {
      const until =
        'cron' in window ? recurringEnd(window, now) : absoluteEnd(window, now);
      if (until !== undefined && (!found || until > found.until)) {
        found = { reason: window.reason, until };
      }
    }
    return found
      ? { reason: found.reason, until: new Date(found.until).toISOString() }
      : undefined;
  }
}
