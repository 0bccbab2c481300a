export default async function globalTeardown(): Promise<void> {
  for (const stop of (globalThis.__dubanTestTeardown ?? []).reverse()) await stop();
}
