import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/permissions.js';
import { InvalidInputException } from '../common/errors.js';
import { Transactor } from '../database/transactor.js';
import { isMandatory, MESSAGE_KINDS, messageKind, PERSONAL_CHANNELS } from './message-kinds.js';
import { PreferencesRepository } from './preferences.repository.js';

export interface Preference {
  kind: string;
  label: string;
  channel: (typeof PERSONAL_CHANNELS)[number];
  enabled: boolean;
  /** Cannot be switched off. */
  mandatory: boolean;
}

/** Which kinds of message the caller receives by e-mail and in the inbox. */
@Injectable()
export class PreferencesService {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: PreferencesRepository,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor): Promise<Preference[]> {
    const off = new Set(
      (await this.repo.disabled(this.tx.manager, actor.userId)).map(
        (d) => `${d.kind}|${d.channel}`,
      ),
    );
    return MESSAGE_KINDS.flatMap((k) =>
      PERSONAL_CHANNELS.map((channel) => ({
        kind: k.kind,
        label: k.label,
        channel,
        enabled: k.mandatory || !off.has(`${k.kind}|${channel}`),
        mandatory: k.mandatory,
      })),
    );
  }

  async update(
    actor: Actor,
    choices: readonly { kind: string; channel: string; enabled: boolean }[],
  ): Promise<Preference[]> {
    choices.forEach((c, i) => {
      if (!messageKind(c.kind)) {
        throw new InvalidInputException(`第 ${i + 1} 项：没有“${c.kind}”这种消息`, [
          { field: `preferences[${i}].kind`, message: '未知的消息类型' },
        ]);
      }
      if (!(PERSONAL_CHANNELS as readonly string[]).includes(c.channel)) {
        throw new InvalidInputException(`第 ${i + 1} 项：渠道须为 email 或 inbox`, [
          { field: `preferences[${i}].channel`, message: '须为 email 或 inbox' },
        ]);
      }
      if (!c.enabled && isMandatory(c.kind)) {
        throw new InvalidInputException(`${messageKind(c.kind)!.label}不能关闭`, [
          { field: `preferences[${i}].enabled`, message: '此类消息不能关闭' },
        ]);
      }
    });
    await this.tx.run(async (m) => {
      await this.repo.set(m, actor.userId, choices);
      await this.audit.record(m, {
        actor,
        action: 'notification.preferences',
        entityType: 'user',
        entityId: actor.userId,
        after: choices,
      });
    });
    return this.list(actor);
  }
}
