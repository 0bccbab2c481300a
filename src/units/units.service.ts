import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/permissions.js';
import { InvalidInputException, NotFoundError } from '../common/errors.js';
import type { Page } from '../common/paging.js';
import { Transactor } from '../database/transactor.js';
import type { Unit } from './unit.entity.js';
import { UsersRepository } from '../users/users.repository.js';
import { UnitsRepository } from './units.repository.js';

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

@Injectable()
export class UnitsService {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: UnitsRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
  ) {}

  async list(page: number, pageSize: number): Promise<Page<Unit>> {
    return this.repo.page(this.tx.manager, { page, pageSize });
  }

  /**
   * Sets (or clears, with null) the mailbox that receives the unit's reminders and the leader in
   * charge of the unit (分管局领导, who gets its red cards); what is not given stays as it is.
   */
  async update(
    actor: Actor | null,
    id: string,
    change: { email?: string | null; leaderId?: string | null },
  ): Promise<Unit> {
    if (change.email === undefined && change.leaderId === undefined) {
      throw new InvalidInputException('请至少给出 email 或 leaderId', [
        { field: 'email', message: '须给出 email 或 leaderId' },
      ]);
    }
    const email =
      change.email === undefined || change.email === null ? change.email : change.email.trim();
    if (typeof email === 'string' && !EMAIL.test(email)) {
      throw new InvalidInputException(`email“${change.email}”不是合法的邮箱地址`, [
        { field: 'email', message: '须为合法的邮箱地址，或 null 表示清除' },
      ]);
    }
    return this.tx.run(async (m) => {
      if (typeof change.leaderId === 'string') {
        const leader = await this.users.find(m, change.leaderId);
        if (!leader || leader.role !== 'leader' || !leader.active) {
          throw new InvalidInputException(`leaderId“${change.leaderId}”不是在用的局领导账号`, [
            { field: 'leaderId', message: '须为在用的局领导（leader）账号 id，或 null 表示清除' },
          ]);
        }
      }
      const unit = await this.repo.find(m, id);
      if (!unit) throw new NotFoundError(`责任单位 ${id} 不存在`);
      // The audit entry names only what the change touched.
      const before: Record<string, string | null> = {};
      const after: Record<string, string | null> = {};
      if (email !== undefined) {
        before.email = unit.email;
        after.email = unit.email = email;
      }
      if (change.leaderId !== undefined) {
        before.leaderId = unit.leaderId;
        after.leaderId = unit.leaderId = change.leaderId;
      }
      const saved = await this.repo.save(m, unit);
      await this.audit.record(m, {
        actor,
        action: 'unit.update',
        entityType: 'unit',
        entityId: id,
        before,
        after,
      });
      return saved;
    });
  }

  /** Sets (or clears, with null) the mailbox that receives the unit's reminders. */
  setEmail(actor: Actor | null, id: string, email: string | null): Promise<Unit> {
    return this.update(actor, id, { email });
  }
}
