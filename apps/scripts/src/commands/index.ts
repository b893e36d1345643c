import type { Command } from '../command.ts';
import { healthCommand } from './health.ts';
import { pricesImportCommand, pricesListCommand, pricesSyncCommand } from './prices.ts';

export const commands: Command[] = [healthCommand, pricesImportCommand, pricesSyncCommand, pricesListCommand];
