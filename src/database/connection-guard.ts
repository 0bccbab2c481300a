import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

interface GuardedClient {
  on(event: 'error', listener: (error: Error) => void): unknown;
  dubanGuarded?: boolean;
}

interface Pool {
  on(event: 'connect', listener: (client: GuardedClient) => void): unknown;
  _clients?: GuardedClient[];
}

/**
 * A database connection that dies (a restart, a failover, an administrator ending it) must not
 * end the process. node-postgres reports it as an `error` event on the connection; when nobody
 * listens at that moment — between TypeORM releasing it and the pool taking it back — Node treats
 * it as fatal. Every connection of the pool gets a listener of its own for its whole life: the
 * failure is logged, the pool replaces the connection, and the request or job that used it fails
 * and is retried.
 */
@Injectable()
export class ConnectionGuard implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  onModuleInit(): void {
    const pool = (this.db.driver as unknown as { master?: Pool }).master;
    if (!pool) return;
    const guard = (client: GuardedClient) => {
      if (client.dubanGuarded) return;
      client.dubanGuarded = true;
      client.on('error', (error) =>
        this.logger.warn({ message: 'database connection lost', error: error.message }),
      );
    };
    pool.on('connect', guard);
    for (const client of pool._clients ?? []) guard(client);
  }
}
