import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** A responsible unit (责任科室/部门/单位). Names are unique across the bureau. */
@Entity('units')
export class Unit {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  /** Contact mailbox that receives the unit's reminders. */
  @Column({ type: 'text', nullable: true })
  email!: string | null;

  /** The bureau leader in charge of the unit (分管局领导): red cards go to them. */
  @Column({ name: 'leader_id', type: 'uuid', nullable: true })
  leaderId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
