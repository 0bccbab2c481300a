import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('sections')
@Index(['planId', 'ordinal'], { unique: true })
export class Section {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'plan_id', type: 'uuid' })
  planId!: string;

  @Column({ type: 'int' })
  ordinal!: number;

  @Column({ type: 'text', nullable: true })
  title!: string | null;
}
