import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditController } from './audit/audit.controller.js';
import { AuditRepository } from './audit/audit.repository.js';
import { AuditService } from './audit/audit.service.js';
import { ApiTokensRepository } from './auth/api-tokens.repository.js';
import { LoginAttemptsRepository } from './auth/login-attempts.repository.js';
import { SessionsRepository } from './auth/sessions.repository.js';
import { UsersRepository } from './users/users.repository.js';
import { UnitsRepository } from './units/units.repository.js';
import { PlansRepository } from './plans/plans.repository.js';
import { HealthRepository } from './health/health.repository.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthService } from './auth/auth.service.js';
import { Authorizer } from './auth/authorizer.service.js';
import { UsersController } from './users/users.controller.js';
import { UsersService } from './users/users.service.js';
import { WorkingCalendar } from './calendar/working-calendar.js';
import { Clock } from './common/clock.js';
import { APP_CONFIG, PROCESS_ROLE, QUEUE_BACKEND, type ProcessRole } from './common/tokens.js';
import type { AppConfig } from './config/config.js';
import { dataSourceOptions } from './database/data-source.js';
import { Transactor } from './database/transactor.js';
import { ExtensionRequestsRepository } from './extensions/extension-requests.repository.js';
import { ExtensionsController } from './extensions/extensions.controller.js';
import { ExtensionsService } from './extensions/extensions.service.js';
import { HealthController } from './health/health.controller.js';
import { MilestoneDeadlineSource } from './milestones/milestone-deadline.source.js';
import { MilestonesController } from './milestones/milestones.controller.js';
import { MilestonesRepository } from './milestones/milestones.repository.js';
import { MilestonesService } from './milestones/milestones.service.js';
import { ProgressController } from './plans/progress.controller.js';
import { ProgressRepository } from './plans/progress.repository.js';
import { ProgressService } from './plans/progress.service.js';
import { MailerService } from './notifications/mailer.service.js';
import { NotificationsController } from './notifications/notifications.controller.js';
import { DeliveryService } from './notifications/delivery.service.js';
import { WebhookSender } from './notifications/webhook.sender.js';
import { ChannelsController } from './notifications/channels.controller.js';
import { PreferencesRepository } from './notifications/preferences.repository.js';
import { PreferencesService } from './notifications/preferences.service.js';
import { UnitWebhooksRepository } from './notifications/unit-webhooks.repository.js';
import { UnitWebhooksService } from './notifications/unit-webhooks.service.js';
import { InboxRepository } from './notifications/inbox.repository.js';
import { InboxService } from './notifications/inbox.service.js';
import { LedgerRepository } from './notifications/ledger.repository.js';
import { LedgerService } from './notifications/ledger.service.js';
import { OutboxRepository } from './notifications/outbox.repository.js';
import { OutboxService } from './notifications/outbox.service.js';
import { NudgesController } from './nudges/nudges.controller.js';
import { NudgesRepository } from './nudges/nudges.repository.js';
import { NudgesService } from './nudges/nudges.service.js';
import { PlansController } from './plans/plans.controller.js';
import { PlanRevisionsController } from './plans/plan-revisions.controller.js';
import { PlanRevisionsRepository } from './plans/plan-revisions.repository.js';
import { PlanRevisionsService } from './plans/plan-revisions.service.js';
import { PlansService } from './plans/plans.service.js';
import { JobQueue } from './queue/job-queue.service.js';
import { createQueueBackend } from './queue/queue-backend.js';
import { OccurrencesRepository } from './reminders/occurrences.repository.js';
import { REMINDER_SOURCE_LIST, ReminderScheduler } from './reminders/reminder-scheduler.service.js';
import { TaskDeadlineSource } from './tasks/task-deadline.source.js';
import { AfterCommit } from './common/after-commit.js';
import { EscalationSource } from './escalations/escalation.source.js';
import { CalendarReplanner } from './reminders/calendar-replanner.js';
import { SchedulePreviewController } from './reminders/schedule-preview.controller.js';
import { SchedulePreviewRepository } from './reminders/schedule-preview.repository.js';
import { SchedulePreviewService } from './reminders/schedule-preview.service.js';
import { EscalationsRepository } from './escalations/escalations.repository.js';
import { EscalationsController } from './escalations/escalations.controller.js';
import { EscalationsService } from './escalations/escalations.service.js';
import { CalendarAdminService } from './calendar/calendar-admin.service.js';
import { CalendarController } from './calendar/calendar.controller.js';
import { CalendarRepository } from './calendar/calendar.repository.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { MetricsService } from './metrics/metrics.service.js';
import { ConnectionGuard } from './database/connection-guard.js';
import { PermissionGuard } from './http/permission.guard.js';
import { RateLimitGuard } from './http/rate-limit.guard.js';
import { RateLimitsRepository } from './http/rate-limits.repository.js';
import { SubmissionsController } from './submissions/submissions.controller.js';
import { SubmissionsRepository } from './submissions/submissions.repository.js';
import { SubmissionsService } from './submissions/submissions.service.js';
import { TasksController } from './tasks/tasks.controller.js';
import { TasksRepository } from './tasks/tasks.repository.js';
import { TasksService } from './tasks/tasks.service.js';
import { UnitsController } from './units/units.controller.js';
import { UnitsService } from './units/units.service.js';
import { CadencesService } from './cycles/cadences.service.js';
import { CycleDigestSource } from './cycles/cycle-digest.source.js';
import { CycleDueSource } from './cycles/cycle-due.source.js';
import { CycleReporterGuard, CyclesController } from './cycles/cycles.controller.js';
import { CyclesRepository } from './cycles/cycles.repository.js';
import { CyclesService } from './cycles/cycles.service.js';
import { DigestTrigger } from './digests/digest-trigger.js';
import { DigestsController } from './digests/digests.controller.js';
import { DigestsRepository } from './digests/digests.repository.js';
import { DIGEST_CYCLE_SOURCE, DigestsService } from './digests/digests.service.js';
import { CalendarFeedController, ExportsController } from './exports/exports.controller.js';
import { ExportsRepository } from './exports/exports.repository.js';
import { ExportsService } from './exports/exports.service.js';

export interface RuntimeOptions {
  config: AppConfig;
  /** The resolved database (a configured one, or the embedded server's). */
  databaseUrl: string;
  role: ProcessRole;
  clock?: Clock;
  /**
   * BullMQ's PostgreSQL schema was migrated by the schema owner (the application's role may not
   * run DDL): the queues only check it. Default: they migrate it themselves.
   */
  queueSchemaMigrated?: boolean;
}

const SERVICES = [
  AuditRepository,
  AuditService,
  Authorizer,
  SessionsRepository,
  ApiTokensRepository,
  LoginAttemptsRepository,
  AuthService,
  UsersRepository,
  UsersService,
  UnitsRepository,
  PlansRepository,
  HealthRepository,
  JobQueue,
  Transactor,
  AfterCommit,
  ConnectionGuard,
  MetricsService,
  RateLimitsRepository,
  PermissionGuard,
  RateLimitGuard,
  MailerService,
  OutboxRepository,
  OutboxService,
  DeliveryService,
  WebhookSender,
  UnitWebhooksRepository,
  UnitWebhooksService,
  PreferencesRepository,
  PreferencesService,
  InboxRepository,
  InboxService,
  LedgerRepository,
  LedgerService,
  OccurrencesRepository,
  SchedulePreviewRepository,
  SchedulePreviewService,
  CalendarReplanner,
  TasksRepository,
  MilestonesRepository,
  TaskDeadlineSource,
  MilestoneDeadlineSource,
  EscalationsRepository,
  EscalationSource,
  EscalationsService,
  CalendarRepository,
  CalendarAdminService,
  ReminderScheduler,
  PlansService,
  TasksService,
  PlanRevisionsRepository,
  PlanRevisionsService,
  UnitsService,
  SubmissionsRepository,
  SubmissionsService,
  ExtensionRequestsRepository,
  ExtensionsService,
  NudgesRepository,
  NudgesService,
  MilestonesService,
  ProgressRepository,
  ProgressService,
  CyclesRepository,
  CycleDueSource,
  CycleDigestSource,
  CyclesService,
  CadencesService,
  CycleReporterGuard,
  DigestsRepository,
  DigestsService,
  ExportsRepository,
  ExportsService,
];

/** Everything a Duban process shares; controllers only where the HTTP API runs. */
@Module({})
export class AppModule {
  static register(options: RuntimeOptions): DynamicModule {
    const servesHttp = options.role === 'api' || options.role === 'all';
    const runsWorkers = options.role === 'worker' || options.role === 'all';
    return {
      module: AppModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(options.databaseUrl, options.config.dbPool),
          migrationsRun: false,
        }),
        JwtModule.register({}),
      ],
      controllers: servesHttp
        ? [
            HealthController,
            MetricsController,
            AuthController,
            UsersController,
            PlansController,
            PlanRevisionsController,
            TasksController,
            UnitsController,
            AuditController,
            NotificationsController,
            ChannelsController,
            EscalationsController,
            CalendarController,
            SubmissionsController,
            ExtensionsController,
            NudgesController,
            MilestonesController,
            ProgressController,
            CyclesController,
            SchedulePreviewController,
            DigestsController,
            ExportsController,
            CalendarFeedController,
          ]
        : [],
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: PROCESS_ROLE, useValue: options.role },
        { provide: Clock, useValue: options.clock ?? new Clock() },
        { provide: WorkingCalendar, useValue: new WorkingCalendar() },
        {
          provide: QUEUE_BACKEND,
          useFactory: () =>
            createQueueBackend({
              redisUrl: options.config.redisUrl,
              databaseUrl: options.databaseUrl,
              prefix: options.config.queuePrefix,
              migrate: !options.queueSchemaMigrated,
            }),
        },
        {
          provide: REMINDER_SOURCE_LIST,
          useFactory: (...sources: unknown[]) => sources,
          inject: [TaskDeadlineSource, MilestoneDeadlineSource, EscalationSource, CycleDueSource],
        },
        // The weekly digests tell units the review-cycle reports they owe, and leaders the results.
        { provide: DIGEST_CYCLE_SOURCE, useExisting: CycleDigestSource },
        ...SERVICES,
        ...(runsWorkers ? [DigestTrigger] : []),
        ...(servesHttp ? [{ provide: APP_GUARD, useClass: AuthGuard }] : []),
      ],
      exports: [APP_CONFIG, PROCESS_ROLE, Clock, WorkingCalendar, QUEUE_BACKEND, ...SERVICES],
    };
  }
}
