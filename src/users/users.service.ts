import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { AuthService, hashPassword } from '../auth/auth.service.js';
import { generatePassword, MIN_PASSWORD_LENGTH, passwordProblem } from '../auth/password-policy.js';
import { type Actor, ROLES, type Role } from '../auth/permissions.js';
import { ConflictError, InvalidInputException, NotFoundError } from '../common/errors.js';
import type { Page } from '../common/paging.js';
import { type EntityManager, Transactor } from '../database/transactor.js';
import { UnitsRepository } from '../units/units.repository.js';
import type { User } from './user.entity.js';
import { UsersRepository } from './users.repository.js';

export { hashPassword, MIN_PASSWORD_LENGTH };

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  unitId?: string | null;
  /** A unit may also be named instead of given by id. */
  unitName?: string | null;
  password?: string | null;
}

/** What an admin may change about an account. */
export interface UserChanges {
  name?: string;
  role?: Role;
  unitId?: string | null;
  active?: boolean;
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;
const isUnitRole = (role: Role) => role === 'unit_head' || role === 'unit_member';

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly tx: Transactor,
    private readonly repo: UsersRepository,
    private readonly units: UnitsRepository,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
  ) {}

  async create(actor: Actor | null, input: NewUser): Promise<User> {
    const email = input.email.trim().toLowerCase();
    if (!EMAIL.test(email)) {
      throw new InvalidInputException(`email“${input.email}”不是合法的邮箱地址`, [
        { field: 'email', message: '须为合法的邮箱地址' },
      ]);
    }
    if (!input.name.trim())
      throw new InvalidInputException('姓名不能为空', [{ field: 'name', message: '不能为空' }]);
    if (!(ROLES as readonly string[]).includes(input.role)) {
      throw new InvalidInputException(`role 须为 ${ROLES.join('、')} 之一`, [
        { field: 'role', message: `须为 ${ROLES.join('、')} 之一` },
      ]);
    }
    if (input.password !== undefined && input.password !== null) {
      const problem = passwordProblem(input.password, { email, name: input.name });
      if (problem)
        throw new InvalidInputException(problem, [{ field: 'password', message: problem }]);
    }
    let unitId = input.unitId ?? null;
    if (!unitId && input.unitName) {
      unitId = await this.units.idOfName(this.tx.manager, input.unitName);
      if (!unitId)
        throw new InvalidInputException(`责任单位“${input.unitName}”不存在`, [
          { field: 'unit', message: '单位不存在' },
        ]);
    } else if (unitId) {
      if (!(await this.units.exists(this.tx.manager, unitId)))
        throw new InvalidInputException(`责任单位 ${unitId} 不存在`, [
          { field: 'unitId', message: '单位不存在' },
        ]);
    }
    if (isUnitRole(input.role) && !unitId) {
      throw new InvalidInputException('科室负责人和联络员必须属于一个责任单位', [
        { field: 'unitId', message: '必填' },
      ]);
    }
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    return this.insert(
      actor,
      { email, name: input.name.trim(), role: input.role, unitId },
      passwordHash,
    );
  }

  private async insert(
    actor: Actor | null,
    fields: { email: string; name: string; role: Role; unitId: string | null },
    passwordHash: string | null,
  ): Promise<User> {
    const { email, unitId } = fields;
    try {
      return await this.tx.run(async (m) => {
        if (await this.repo.emailTaken(m, email)) throw new ConflictError(`邮箱 ${email} 已被使用`);
        const user = await this.repo.insert(m, fields, passwordHash);
        await this.audit.record(m, {
          actor,
          action: 'user.create',
          entityType: 'user',
          entityId: user.id,
          after: { email, name: user.name, role: user.role, unitId },
        });
        return user;
      });
    } catch (error) {
      // Two requests for the same address at once: the unique index decides, the loser gets 409.
      const driverError = error as { code?: string; constraint?: string };
      if (driverError.code === '23505' && driverError.constraint === 'users_email_key') {
        throw new ConflictError(`邮箱 ${email} 已被使用`);
      }
      throw error;
    }
  }

  /** How many accounts there are. */
  async count(): Promise<number> {
    return this.repo.count(this.tx.manager);
  }

  async list(page: number, pageSize: number): Promise<Page<User>> {
    return this.repo.page(this.tx.manager, { page, pageSize });
  }

  async get(id: string): Promise<User> {
    const user = await this.repo.find(this.tx.manager, id);
    if (!user) throw new NotFoundError(`用户 ${id} 不存在`);
    return user;
  }

  /**
   * Changes an account's name, role, unit or active flag. A change of role or unit, or a
   * deactivation, ends the user's sessions (a deactivation also revokes their API tokens); the
   * last active admin cannot be deactivated or demoted. Audited in the same transaction.
   */
  async update(actor: Actor, id: string, changes: UserChanges): Promise<User> {
    const fields = (['name', 'role', 'unitId', 'active'] as const).filter(
      (f) => changes[f] !== undefined,
    );
    if (fields.length === 0) {
      throw new InvalidInputException('没有要修改的内容：可修改 name、role、unitId、active', [
        { field: 'body', message: '至少给出 name、role、unitId、active 之一' },
      ]);
    }
    if (changes.name !== undefined && !changes.name.trim()) {
      throw new InvalidInputException('姓名不能为空', [{ field: 'name', message: '不能为空' }]);
    }
    if (changes.role !== undefined && !(ROLES as readonly string[]).includes(changes.role)) {
      throw new InvalidInputException(`role 须为 ${ROLES.join('、')} 之一`, [
        { field: 'role', message: `须为 ${ROLES.join('、')} 之一` },
      ]);
    }
    return this.tx.run(async (m) => {
      if (changes.role !== undefined || changes.active !== undefined) {
        // Changes that could leave no admin take turns, so two admins cannot demote each other.
        await this.repo.lockAdmins(m);
      }
      const before = await this.repo.lockState(m, id);
      if (!before) throw new NotFoundError(`用户 ${id} 不存在`);
      const next = {
        name: changes.name?.trim() ?? before.name,
        role: changes.role ?? before.role,
        unitId: changes.unitId !== undefined ? changes.unitId : before.unitId,
        active: changes.active ?? before.active,
      };
      if (changes.unitId) await this.requireUnit(m, changes.unitId);
      if (isUnitRole(next.role) && !next.unitId) {
        throw new InvalidInputException('科室负责人和联络员必须属于一个责任单位', [
          { field: 'unitId', message: '必填' },
        ]);
      }
      const wasAdmin = before.role === 'admin' && before.active;
      if (wasAdmin && !(next.role === 'admin' && next.active)) {
        if ((await this.repo.otherActiveAdmins(m, id)) === 0) {
          throw new ConflictError('不能停用或降级最后一个启用的系统管理员，请先指定另一位管理员');
        }
      }
      await this.repo.update(m, id, next);
      const scopeChanged = next.role !== before.role || next.unitId !== before.unitId;
      const deactivated = before.active && !next.active;
      const endedSessions =
        scopeChanged || deactivated
          ? await this.auth.revokeSessions(m, id, deactivated ? 'deactivated' : 'role_change')
          : 0;
      const revokedTokens = deactivated ? await this.auth.revokeAllApiTokens(m, id) : 0;
      const was = {
        name: before.name,
        role: before.role,
        unitId: before.unitId,
        active: before.active,
      };
      const changed = fields.filter((f) => was[f] !== next[f]);
      await this.audit.record(m, {
        actor,
        action: 'user.update',
        entityType: 'user',
        entityId: id,
        before: Object.fromEntries(changed.map((f) => [f, was[f]])),
        after: {
          ...Object.fromEntries(changed.map((f) => [f, next[f]])),
          ...(endedSessions ? { endedSessions } : {}),
          ...(revokedTokens ? { revokedTokens } : {}),
        },
      });
      return (await this.repo.find(m, id))!;
    });
  }

  /**
   * Gives the account a temporary password, shown once: its sessions end, any sign-in delay is
   * lifted, and at the next sign-in the user must choose their own before doing anything else.
   */
  async resetPassword(
    actor: Actor,
    id: string,
  ): Promise<{ temporaryPassword: string; mustChangePassword: true }> {
    const temporaryPassword = generatePassword();
    const hash = await hashPassword(temporaryPassword);
    await this.tx.run(async (m) => {
      const email = await this.repo.setTemporaryPassword(m, id, hash);
      if (email === null) throw new NotFoundError(`用户 ${id} 不存在`);
      const endedSessions = await this.auth.revokeSessions(m, id, 'password_reset');
      await this.auth.clearSignInDelays(m, email, 'password_reset');
      await this.audit.record(m, {
        actor,
        action: 'user.password_reset',
        entityType: 'user',
        entityId: id,
        after: { mustChangePassword: true, endedSessions },
      });
    });
    return { temporaryPassword, mustChangePassword: true };
  }

  /** Lifts the sign-in delays of an account at every address. */
  async unlock(actor: Actor, id: string): Promise<void> {
    await this.tx.run(async (m) => {
      const email = await this.repo.emailOf(m, id);
      if (email === null) throw new NotFoundError(`用户 ${id} 不存在`);
      await this.auth.clearSignInDelays(m, email, 'admin_unlock');
      await this.audit.record(m, {
        actor,
        action: 'user.unlock',
        entityType: 'user',
        entityId: id,
      });
    });
  }

  private async requireUnit(m: EntityManager, unitId: string): Promise<void> {
    if (!(await this.units.exists(m, unitId))) {
      throw new InvalidInputException(`责任单位 ${unitId} 不存在`, [
        { field: 'unitId', message: '单位不存在' },
      ]);
    }
  }

  /**
   * On an empty user table, creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, or with a
   * random password that is printed once.
   */
  async ensureFirstAdmin(
    email: string | null,
    password: string | null,
  ): Promise<{ email: string; password: string | null } | null> {
    if ((await this.count()) > 0) return null;
    const chosen = password ?? generatePassword();
    const adminEmail = email ?? 'admin@localhost.localdomain';
    try {
      await this.create(null, {
        email: adminEmail,
        name: '系统管理员',
        role: 'admin',
        password: chosen,
      });
    } catch (error) {
      // Another process created it first.
      if (error instanceof ConflictError) return null;
      throw error;
    }
    return { email: adminEmail, password: password ? null : chosen };
  }
}
