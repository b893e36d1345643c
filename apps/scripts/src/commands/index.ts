import type { Command } from '../command.ts';
import { healthCommand } from './health.ts';

export const commands: Command[] = [healthCommand];
