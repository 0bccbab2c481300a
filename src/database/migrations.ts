import { InitialSchema1764300000000 } from '../../migrations/1764300000000-InitialSchema.js';
import { SupervisionWorkflow1764400000000 } from '../../migrations/1764400000000-SupervisionWorkflow.js';
import { ReminderPipeline1764500000000 } from '../../migrations/1764500000000-ReminderPipeline.js';
import { Hardening1764500050000 } from '../../migrations/1764500050000-Hardening.js';
import { AccountsAndSessions1764500100000 } from '../../migrations/1764500100000-AccountsAndSessions.js';
import { EscalationsAndChannels1764600000000 } from '../../migrations/1764600000000-EscalationsAndChannels.js';
import { ReviewCycles1764720000000 } from '../../migrations/1764720000000-ReviewCycles.js';
import { DigestsAndExports1764730000000 } from '../../migrations/1764730000000-DigestsAndExports.js';
import { ListAndQueueIndexes1764740000000 } from '../../migrations/1764740000000-ListAndQueueIndexes.js';
import { PlanVersions1764750000000 } from '../../migrations/1764750000000-PlanVersions.js';

/** Every migration, in order. Listed explicitly so compiled and test runs load the same set. */
export const MIGRATIONS = [
  InitialSchema1764300000000,
  SupervisionWorkflow1764400000000,
  ReminderPipeline1764500000000,
  Hardening1764500050000,
  AccountsAndSessions1764500100000,
  EscalationsAndChannels1764600000000,
  ReviewCycles1764720000000,
  DigestsAndExports1764730000000,
  ListAndQueueIndexes1764740000000,
  PlanVersions1764750000000,
] as const;
