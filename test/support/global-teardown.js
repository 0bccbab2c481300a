export default async function globalTeardown() {
  for (const stop of (globalThis.__dubanTestTeardown ?? []).reverse()) await stop();
}
