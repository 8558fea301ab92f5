import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

// PostgreSQL comes from the test script (Debian's package, started on
// loopback); it exports the connection string of the version installed.
export const POSTGRES_IDS: TestDatabaseId[] = [
  'POSTGRES_18',
  'POSTGRES_17',
  'POSTGRES_16',
  'POSTGRES_15',
  'POSTGRES_14',
  'POSTGRES_13',
];

/** SQLite always, PostgreSQL when the test script provides one. */
export const createTestDatabases = () =>
  TestDatabases.create({
    ids: ['SQLITE_3', ...POSTGRES_IDS],
    disableDocker: true,
  });
