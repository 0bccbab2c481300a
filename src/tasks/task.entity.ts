import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
  type Relation,
} from 'typeorm';
import { Item } from '../plans/item.entity.js';
import { Unit } from '../units/unit.entity.js';

import type { TaskStatus } from './task-state.js';

export type TaskRole = 'lead' | 'co';
export type { TaskStatus };

/** One item assigned to one unit. */
@Entity('tasks')
@Index(['itemId', 'unitId'], { unique: true })
export class Task {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'item_id', type: 'uuid' })
  itemId!: string;

  @ManyToOne(() => Item, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'item_id' })
  item?: Relation<Item>;

  @Column({ name: 'unit_id', type: 'uuid' })
  @Index()
  unitId!: string;

  @ManyToOne(() => Unit)
  @JoinColumn({ name: 'unit_id' })
  unit?: Relation<Unit>;

  @Column({ type: 'text' })
  role!: TaskRole;

  @Column({ type: 'text', default: 'assigned' })
  status!: TaskStatus;

  /** Business date of the deadline (in the business time zone). */
  @Column({ name: 'due_date', type: 'date' })
  dueDate!: string;

  /** Exact deadline instant. */
  @Column({ name: 'due_at', type: 'timestamptz' })
  @Index()
  dueAt!: Date;

  /** When the current deadline was set: reminders due before this moment are never sent. */
  @Column({ name: 'reminders_planned_at', type: 'timestamptz' })
  remindersPlannedAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  /** 黄牌/红牌: raised by the escalation ladder, reset when the task stops waiting or is re-dated. */
  @Column({ name: 'escalation_level', type: 'text', default: 'none' })
  escalationLevel!: 'none' | 'yellow' | 'red';

  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true })
  escalatedAt!: Date | null;

  @VersionColumn()
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
