import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { DeadlineHint } from '../plan-document/index.js';

@Entity('items')
@Index(['planId', 'ordinal'], { unique: true })
export class Item {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'plan_id', type: 'uuid' })
  planId!: string;

  @Column({ name: 'section_id', type: 'uuid' })
  sectionId!: string;

  /** Position of the item in the whole plan (1-based), stable even where numbering restarts. */
  @Column({ type: 'int' })
  ordinal!: number;

  /** The number the document gives the item. */
  @Column({ type: 'int' })
  number!: number;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'all_units', type: 'boolean', default: false })
  allUnits!: boolean;

  @Column({ name: 'deadline_hints', type: 'jsonb', default: () => "'[]'::jsonb" })
  deadlineHints!: DeadlineHint[];

  /** The plan version whose revision removed the item (its tasks cancelled); null while current. */
  @Column({ name: 'removed_in_version', type: 'int', nullable: true })
  removedInVersion!: number | null;
}
