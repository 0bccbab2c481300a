import { Module } from '@nestjs/common';
import { OutboxController } from './outbox.controller.js';
import { OutboxService } from './outbox.service.js';
import { ReminderPreviewController } from './reminder-preview.controller.js';

/**
 * What the web console needs beyond the core API: the outbox viewer of embedded installations
 * and the reminder-policy preview. Imported beside AppModule (which it relies on, being global).
 */
@Module({
  controllers: [OutboxController, ReminderPreviewController],
  providers: [OutboxService],
})
export class WebModule {}
