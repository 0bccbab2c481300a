import { Injectable } from '@nestjs/common';
import type { JobPayloads } from '../src/queue/job-registry.js';
import { ReminderDeliveryService } from '../src/reminders/reminder-delivery.service.js';

@Injectable()
export class ReminderProcessor {
  constructor(private readonly delivery: ReminderDeliveryService) {}

  async process(data: JobPayloads['reminder.send']): Promise<void> {
    await this.delivery.deliver(data);
  }
}
