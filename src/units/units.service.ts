import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/permissions.js';
import { InvalidInputException, NotFoundError } from '../common/errors.js';
import type { Page } from '../common/paging.js';
import { Transactor } from '../database/transactor.js';
import type { Unit } from './unit.entity.js';
import { UnitsRepository } from './units.repository.js';

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

@Injectable()
export class UnitsService {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: UnitsRepository,
    private readonly audit: AuditService,
  ) {}

  async list(page: number, pageSize: number): Promise<Page<Unit>> {
    return this.repo.page(this.tx.manager, { page, pageSize });
  }

  /** Sets (or clears, with null) the mailbox that receives the unit's reminders. */
  async setEmail(actor: Actor | null, id: string, email: string | null): Promise<Unit> {
    const normalized = email === null ? null : email.trim();
    if (normalized !== null && !EMAIL.test(normalized)) {
      throw new InvalidInputException(`email“${email}”不是合法的邮箱地址`, [
        { field: 'email', message: '须为合法的邮箱地址，或 null 表示清除' },
      ]);
    }
    const unit = await this.repo.find(this.tx.manager, id);
    if (!unit) throw new NotFoundError(`责任单位 ${id} 不存在`);
    const before = unit.email;
    unit.email = normalized;
    return this.tx.run(async (m) => {
      const saved = await this.repo.save(m, unit);
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
