// Browser compatible. The test-harness entry point: frames valid or not, an
// inspector that lists every rule a frame breaks, and an in-memory pair of
// connected WebSockets. Re-exports only.
export * from './testing/raw.ts';
export * from './testing/inspect.ts';
export * from './testing/pair.ts';
