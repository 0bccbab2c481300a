import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/permissions.js';
import { InvalidInputException, NotFoundError } from '../common/errors.js';
import { Unit } from './unit.entity.js';

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

@Injectable()
export class UnitsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(
    page: number,
    pageSize: number,
  ): Promise<{ items: Unit[]; total: number; page: number; pageSize: number }> {
    const [items, total] = await this.db.getRepository(Unit).findAndCount({
      order: { name: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items, total, page, pageSize };
  }

  /** Sets (or clears, with null) the mailbox that receives the unit's reminders. */
  async setEmail(actor: Actor | null, id: string, email: string | null): Promise<Unit> {
    const normalized = email === null ? null : email.trim();
    if (normalized !== null && !EMAIL.test(normalized)) {
      throw new InvalidInputException(`email“${email}”不是合法的邮箱地址`, [
        { field: 'email', message: '须为合法的邮箱地址，或 null 表示清除' },
      ]);
    }
    const repo = this.db.getRepository(Unit);
    const unit = await repo.findOneBy({ id });
    if (!unit) throw new NotFoundError(`责任单位 ${id} 不存在`);
    const before = unit.email;
    unit.email = normalized;
    return this.db.transaction(async (m) => {
      const saved = await m.getRepository(Unit).save(unit);
      await this.audit.record(m, {
        actor,
        action: 'unit.update',
        entityType: 'unit',
        entityId: id,
        before: { email: before },
        after: { email: normalized },
      });
      return saved;
    });
  }
}
