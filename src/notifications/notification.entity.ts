import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type NotificationStatus = 'pending' | 'sent' | 'skipped' | 'failed';
export type NotificationKind = 'reminder';

/** One message to one recipient on one channel; the dedupe key makes delivery happen once. */
@Entity('notifications')
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'dedupe_key', type: 'text', unique: true })
  dedupeKey!: string;

  @Column({ type: 'text' })
  kind!: NotificationKind;

  @Column({ type: 'text', default: 'email' })
  channel!: 'email';

  @Column({ name: 'task_id', type: 'uuid', nullable: true })
  @Index()
  taskId!: string | null;

  @Column({ type: 'text', nullable: true })
  recipient!: string | null;

  @Column({ type: 'text', nullable: true })
  subject!: string | null;

  @Column({ type: 'text' })
  status!: NotificationStatus;

  /** Why it was skipped or failed. */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'scheduled_for', type: 'timestamptz' })
  scheduledFor!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
