import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ParseWarning } from '../plan-document/index.js';
import type { ReminderPolicy } from '../reminders/reminder-policy.js';

/** One imported official document (工作要点). */
@Entity('plans')
export class Plan {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ name: 'doc_number', type: 'text', nullable: true })
  docNumber!: string | null;

  @Column({ type: 'text', nullable: true })
  issuer!: string | null;

  @Column({ name: 'issued_on', type: 'date', nullable: true })
  issuedOn!: string | null;

  @Column({ type: 'int' })
  year!: number;

  /** SHA-256 of the normalised document text: the same document is imported once. */
  @Column({ name: 'source_hash', type: 'text', unique: true })
  sourceHash!: string;

  @Column({ name: 'source_name', type: 'text' })
  sourceName!: string;

  /** Reminder policy for the plan's tasks; null means the default policy. */
  @Column({ name: 'reminder_policy', type: 'jsonb', nullable: true })
  reminderPolicy!: ReminderPolicy | null;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  warnings!: ParseWarning[];

  @CreateDateColumn({ name: 'imported_at', type: 'timestamptz' })
  importedAt!: Date;
}
