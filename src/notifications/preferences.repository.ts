import { Injectable } from '@nestjs/common';
import type { EntityManager } from '../database/transactor.js';

/** People's choices of which kinds of message they receive by which channel. */
@Injectable()
export class PreferencesRepository {
  async disabled(m: EntityManager, userId: string): Promise<{ kind: string; channel: string }[]> {
    return m.query(
      `SELECT kind, channel FROM notification_preferences WHERE user_id = $1 AND NOT enabled`,
      [userId],
    );
  }

  async set(
    m: EntityManager,
    userId: string,
    choices: readonly { kind: string; channel: string; enabled: boolean }[],
  ): Promise<void> {
    if (choices.length === 0) return;
    await m.query(
      `INSERT INTO notification_preferences (user_id, kind, channel, enabled)
       SELECT $1, c.kind, c.channel, c.enabled
         FROM unnest($2::text[], $3::text[], $4::boolean[]) AS c(kind, channel, enabled)
       ON CONFLICT (user_id, kind, channel) DO UPDATE SET enabled = EXCLUDED.enabled`,
      [
        userId,
        choices.map((c) => c.kind),
        choices.map((c) => c.channel),
        choices.map((c) => c.enabled),
      ],
    );
  }
}
