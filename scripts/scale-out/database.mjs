// The plugin's PostgreSQL database, shared by both replicas.
import { check, config, FINAL, requireFrom } from './context.mjs';

const pg = requireFrom('packages/backend')('pg');

export async function database(query) {
  const client = new pg.Client({ connectionString: config.database });
  await client.connect();
  try {
    return (await client.query(query)).rows;
  } finally {
    await client.end();
  }
}

/** Checks that every record is final, but for `running` ones allowed (at most this many). */
export async function checkDatabase(label, runningAllowed = 0) {
  const rows = await database(
    'select status, count(*)::int as n from promotions group by status',
  );
  const counts = Object.fromEntries(rows.map(r => [r.status, r.n]));
  const other = rows.filter(
    r =>
      !FINAL.includes(r.status) &&
      !(r.status === 'running' && r.n <= runningAllowed),
  );
  check(
    other.length === 0,
    `${label}: table promotions holds final states only${
      runningAllowed ? `, but for the killed one` : ''
    } ${JSON.stringify(counts)}`,
    `non-final: ${JSON.stringify(other)}`,
  );
  return counts;
}
