import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/permissions.js';
import { InvalidInputException, NotFoundError } from '../common/errors.js';
import { Transactor } from '../database/transactor.js';
import { type UnitWebhookRow, UnitWebhooksRepository } from './unit-webhooks.repository.js';
import { WebhookSender } from './webhook.sender.js';
import {
  maskWebhookUrl,
  WEBHOOK_KIND_LABELS,
  WEBHOOK_KINDS,
  type WebhookKind,
} from './webhook-format.js';

/** A webhook as people see it: its address masked, its secret never shown. */
export interface UnitWebhookView {
  id: string;
  unitId: string;
  kind: WebhookKind;
  kindLabel: string;
  url: string;
  hasSecret: boolean;
  enabled: boolean;
  createdAt: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A robot's address: https, or http on this machine only (a local relay, tests). */
function checkUrl(raw: unknown): string {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    throw new InvalidInputException('url 不是合法的地址', [
      { field: 'url', message: '须为 https 地址' },
    ]);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new InvalidInputException('url 须为 https 地址', [
      { field: 'url', message: '须为 https 地址' },
    ]);
  }
  return url.toString();
}

/** Group robots (群机器人) of a unit: its messages also go to the unit's chat group. */
@Injectable()
export class UnitWebhooksService {
  constructor(
    private readonly tx: Transactor,
    private readonly repo: UnitWebhooksRepository,
    private readonly audit: AuditService,
    private readonly sender: WebhookSender,
  ) {}

  async list(unitId: string): Promise<UnitWebhookView[]> {
    if (!(await this.repo.unitExists(this.tx.manager, unitId))) {
      throw new NotFoundError(`责任单位 ${unitId} 不存在`);
    }
    return (await this.repo.ofUnit(this.tx.manager, unitId)).map(view);
  }

  async create(
    actor: Actor,
    unitId: string,
    input: { kind: string; url: string; secret?: string | null },
  ): Promise<UnitWebhookView> {
    if (!(WEBHOOK_KINDS as readonly string[]).includes(input.kind)) {
      throw new InvalidInputException(`kind 须为 ${WEBHOOK_KINDS.join('、')} 之一`, [
        { field: 'kind', message: `须为 ${WEBHOOK_KINDS.join('、')} 之一` },
      ]);
    }
    const url = checkUrl(input.url);
    return this.tx.run(async (m) => {
      if (!(await this.repo.unitExists(m, unitId)))
        throw new NotFoundError(`责任单位 ${unitId} 不存在`);
      const row = await this.repo.create(m, {
        unitId,
        kind: input.kind as WebhookKind,
        url,
        secret: input.secret?.trim() || null,
      });
      await this.audit.record(m, {
        actor,
        action: 'webhook.create',
        entityType: 'unit',
        entityId: unitId,
        after: { webhookId: row.id, kind: row.kind, url: maskWebhookUrl(url) },
      });
      return view(row);
    });
  }

  async update(
    actor: Actor,
    id: string,
    change: { url?: string; secret?: string | null; enabled?: boolean },
  ): Promise<UnitWebhookView> {
    const url = change.url !== undefined ? checkUrl(change.url) : undefined;
    return this.tx.run(async (m) => {
      const before = await this.repo.get(m, id, true);
      if (!before) throw new NotFoundError(`群机器人 ${id} 不存在`);
      const row = await this.repo.update(m, id, {
        url: url ?? before.url,
        secret: change.secret === undefined ? before.secret : change.secret?.trim() || null,
        enabled: change.enabled ?? before.enabled,
      });
      await this.audit.record(m, {
        actor,
        action: 'webhook.update',
        entityType: 'unit',
        entityId: row.unitId,
        before: { webhookId: id, url: maskWebhookUrl(before.url), enabled: before.enabled },
        after: {
          webhookId: id,
          url: maskWebhookUrl(row.url),
          enabled: row.enabled,
          secretChanged: change.secret !== undefined,
        },
      });
      return view(row);
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.tx.run(async (m) => {
      const before = await this.repo.get(m, id, true);
      if (!before) throw new NotFoundError(`群机器人 ${id} 不存在`);
      await this.repo.remove(m, id);
      await this.audit.record(m, {
        actor,
        action: 'webhook.delete',
        entityType: 'unit',
        entityId: before.unitId,
        before: { webhookId: id, kind: before.kind, url: maskWebhookUrl(before.url) },
      });
    });
  }

  /** Sends a test message now and says whether the robot took it. */
  async test(id: string): Promise<{ ok: boolean; error: string | null }> {
    const row = await this.repo.get(this.tx.manager, id);
    if (!row) throw new NotFoundError(`群机器人 ${id} 不存在`);
    try {
      await this.sender.send(row, '督办系统测试消息', '### 督办系统测试消息\n\n群机器人设置成功。');
      return { ok: true, error: null };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }
}

function view(r: UnitWebhookRow): UnitWebhookView {
  return {
    id: r.id,
    unitId: r.unitId,
    kind: r.kind,
    kindLabel: WEBHOOK_KIND_LABELS[r.kind],
    url: maskWebhookUrl(r.url),
    hasSecret: r.secret !== null,
    enabled: r.enabled,
    createdAt: r.createdAt.toISOString(),
  };
}
