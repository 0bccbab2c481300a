import { InitialSchema1764300000000 } from '../../migrations/1764300000000-InitialSchema.js';
import { SupervisionWorkflow1764400000000 } from '../../migrations/1764400000000-SupervisionWorkflow.js';

/** Every migration, in order. Listed explicitly so compiled and test runs load the same set. */
export const MIGRATIONS = [InitialSchema1764300000000, SupervisionWorkflow1764400000000] as const;
