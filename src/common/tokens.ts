export const APP_CONFIG = Symbol('APP_CONFIG');
export const QUEUE_BACKEND = Symbol('QUEUE_BACKEND');
export const PROCESS_ROLE = Symbol('PROCESS_ROLE');

/** What this process runs: the HTTP API, the job workers, both, or a one-off CLI command. */
export type ProcessRole = 'api' | 'worker' | 'all' | 'cli';
