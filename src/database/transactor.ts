import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * The one way services open a transaction: `run` gives the work an EntityManager to pass to the
 * repositories it calls; everything commits together or not at all. Outside a transaction,
 * repositories use `manager` (the pool).
 */
@Injectable()
export class Transactor {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  run<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** Autocommit: each statement on its own (reads, single writes). */
  get manager(): EntityManager {
    return this.db.manager;
  }
}

export type { EntityManager };
