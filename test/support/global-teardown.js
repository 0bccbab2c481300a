import pg from 'pg';

export default async function globalTeardown() {
  const server = process.env.DUBAN_TEST_PG_SERVER;
  const run = process.env.DUBAN_TEST_RUN;
  if (server && run) {
    const client = new pg.Client({ connectionString: server });
    await client.connect().catch(() => undefined);
    try {
      const rows = await client.query(
        `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`,
        [run],
      );
      for (const { datname } of rows.rows)
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } catch {
      // the server may already be gone
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  for (const stop of (globalThis.__dubanTestTeardown ?? []).reverse()) await stop();
}
