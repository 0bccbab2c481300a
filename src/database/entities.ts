import { Notification } from '../notifications/notification.entity.js';
import { Item } from '../plans/item.entity.js';
import { Plan } from '../plans/plan.entity.js';
import { Section } from '../plans/section.entity.js';
import { Task } from '../tasks/task.entity.js';
import { Unit } from '../units/unit.entity.js';
import { User } from '../users/user.entity.js';

export const ENTITIES = [Unit, User, Plan, Section, Item, Task, Notification] as const;
