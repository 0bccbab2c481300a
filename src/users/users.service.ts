import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import argon2 from 'argon2';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { type Actor, ROLES, type Role } from '../auth/permissions.js';
import { ConflictError, InvalidInputException, NotFoundError } from '../common/errors.js';
import { User } from './user.entity.js';

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  unitId?: string | null;
  /** A unit may also be named instead of given by id. */
  unitName?: string | null;
  password?: string | null;
}

export const MIN_PASSWORD_LENGTH = 10;
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
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
    if (
      input.password !== undefined &&
      input.password !== null &&
      input.password.length < MIN_PASSWORD_LENGTH
    ) {
      throw new InvalidInputException(`密码至少 ${MIN_PASSWORD_LENGTH} 位`, [
        { field: 'password', message: `至少 ${MIN_PASSWORD_LENGTH} 位` },
      ]);
    }
    let unitId = input.unitId ?? null;
    if (!unitId && input.unitName) {
      const [unit]: { id: string }[] = await this.db.query(`SELECT id FROM units WHERE name = $1`, [
        input.unitName,
      ]);
      if (!unit)
        throw new InvalidInputException(`责任单位“${input.unitName}”不存在`, [
          { field: 'unit', message: '单位不存在' },
        ]);
      unitId = unit.id;
    } else if (unitId) {
      const [unit]: { id: string }[] = await this.db.query(`SELECT id FROM units WHERE id = $1`, [
        unitId,
      ]);
      if (!unit)
        throw new InvalidInputException(`责任单位 ${unitId} 不存在`, [
          { field: 'unitId', message: '单位不存在' },
        ]);
    }
    if ((input.role === 'unit_head' || input.role === 'unit_member') && !unitId) {
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
      return await this.db.transaction(async (m) => {
        const [exists]: unknown[] = await m.query(`SELECT 1 FROM users WHERE lower(email) = $1`, [
          email,
        ]);
        if (exists) throw new ConflictError(`邮箱 ${email} 已被使用`);
        const user = await m
          .getRepository(User)
          .save(m.getRepository(User).create({ ...fields, passwordHash, active: true }));
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

  async list(
    page: number,
    pageSize: number,
  ): Promise<{ items: User[]; total: number; page: number; pageSize: number }> {
    const [items, total] = await this.db.getRepository(User).findAndCount({
      order: { createdAt: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items, total, page, pageSize };
  }

  async get(id: string): Promise<User> {
    const user = await this.db.getRepository(User).findOneBy({ id });
    if (!user) throw new NotFoundError(`用户 ${id} 不存在`);
    return user;
  }

  /**
   * On an empty user table, creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD, or with a
   * random password that is printed once.
   */
  async ensureFirstAdmin(
    email: string | null,
    password: string | null,
  ): Promise<{ email: string; password: string | null } | null> {
    const [{ n }]: { n: number }[] = await this.db.query(`SELECT count(*)::int AS n FROM users`);
    if (n > 0) return null;
    const chosen = password ?? randomBytes(12).toString('base64url');
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
