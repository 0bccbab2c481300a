import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What the health check asks of the database. */
@Injectable()
export class HealthRepository {
  /** One round trip: the database answers statements. */
  async ping(m: EntityManager): Promise<void> {
    await m.query('SELECT 1');
  }
}
