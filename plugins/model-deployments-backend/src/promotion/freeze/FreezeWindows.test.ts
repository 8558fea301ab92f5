import { ConfigReader } from '@backstage/config';
import { FreezeWindows } from './FreezeWindows';

const windowsAt = (now: string, freeze: object[]) => {
  const config = new ConfigReader({
    modelDeployments: {
      environments: [{ name: 'production', cluster: 'main', freeze }],
    },
  });
  const parsed = FreezeWindows.fromConfig(config) as any;
  return new FreezeWindows(parsed.windows, () => Date.parse(now));
};

describe('FreezeWindows', () => {
  const blackFriday = {
    reason: 'Black Friday',
    from: '2026-11-27T00:00:00Z',
    until: '2026-11-30T08:00:00Z',
  };
  // Fridays 17:00 Berlin time to Monday 08:00: 63 hours.
  const weekend = {
    reason: 'Weekend',
    cron: '0 17 * * 5',
    timeZone: 'Europe/Berlin',
    duration: { hours: 63 },
  };

  it('is on inside an absolute window and off outside it', () => {
    expect(
      windowsAt('2026-11-28T12:00:00Z', [blackFriday]).frozen('production'),
    ).toEqual({ reason: 'Black Friday', until: '2026-11-30T08:00:00.000Z' });
    expect(
      windowsAt('2026-11-30T08:00:00Z', [blackFriday]).frozen('production'),
    ).toBeUndefined();
    expect(
      windowsAt('2026-11-28T12:00:00Z', [blackFriday]).frozen('staging'),
    ).toBeUndefined();
  });

  it('follows a cron schedule in its time zone, summer time included', () => {
    // Winter (UTC+1): Friday 17:00 in Berlin is 16:00 UTC.
    expect(
      windowsAt('2026-12-04T15:59:00Z', [weekend]).frozen('production'),
    ).toBeUndefined();
    expect(
      windowsAt('2026-12-04T16:00:00Z', [weekend]).frozen('production'),
    ).toEqual({ reason: 'Weekend', until: '2026-12-07T07:00:00.000Z' });
    expect(
      windowsAt('2026-12-07T06:59:00Z', [weekend]).frozen('production'),
    ).toMatchObject({ until: '2026-12-07T07:00:00.000Z' });
    expect(
      windowsAt('2026-12-07T07:00:00Z', [weekend]).frozen('production'),
    ).toBeUndefined();
    // Summer (UTC+2): 17:00 in Berlin is 15:00 UTC.
    expect(
      windowsAt('2026-06-05T15:30:00Z', [weekend]).frozen('production'),
    ).toEqual({ reason: 'Weekend', until: '2026-06-08T06:00:00.000Z' });
  });

  it('names the window that lasts longest when several are on', () => {
    expect(
      windowsAt('2026-11-27T18:00:00Z', [weekend, blackFriday]).frozen(
        'production',
      ),
    ).toEqual({ reason: 'Black Friday', until: '2026-11-30T08:00:00.000Z' });
  });

  it.each([
    [
      { reason: 'x', cron: 'every friday', duration: { hours: 1 } },
      /freeze\[0\]\.cron 'every friday' \(time zone UTC\) is not a valid cron expression/,
    ],
    [
      { reason: 'x', cron: '0 17 * * 5' },
      /freeze\[0\]\.duration is required with .*freeze\[0\]\.cron/,
    ],
    [
      { reason: 'x', cron: '0 17 * * 5', duration: { days: 40 } },
      /duration must be more than 0 and at most 31 days/,
    ],
    [
      {
        reason: 'x',
        from: '2026-11-30T00:00:00Z',
        until: '2026-11-27T00:00:00Z',
      },
      /needs from and until as ISO 8601 times, until after from/,
    ],
  ])('refuses a mistake at startup, naming the key: %j', (window, message) => {
    expect(() => windowsAt('2026-11-28T00:00:00Z', [window])).toThrow(message);
  });
});
