import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Counts requests per key in fixed windows, in Postgres, so every API process shares the count. */
@Injectable()
export class RateLimitsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Records a hit; returns how many seconds to wait when the limit is exceeded, else 0. */
  async hit(key: string, max: number, windowSeconds: number): Promise<number> {
    const [row]: { hits: number; wait: number }[] = await this.db.query(
      `INSERT INTO rate_limits (key, window_started, hits) VALUES ($1, now(), 1)
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN rate_limits.window_started <= now() - make_interval(secs => $2)
                     THEN 1 ELSE rate_limits.hits + 1 END,
         window_started = CASE WHEN rate_limits.window_started <= now() - make_interval(secs => $2)
                               THEN now() ELSE rate_limits.window_started END
       RETURNING hits,
                 ceil(extract(epoch FROM window_started + make_interval(secs => $2) - now()))::int AS wait`,
      [key, windowSeconds],
    );
    return row.hits > max ? Math.max(1, row.wait) : 0;
  }

  /** Forgets windows that ended long ago. */
  async prune(): Promise<void> {
    await this.db.query(`DELETE FROM rate_limits WHERE window_started < now() - interval '2 days'`);
  }
}
