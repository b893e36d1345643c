import type { Command } from '../command.ts';
import {
  loginCommand,
  logoutCommand,
  logsListCommand,
  meCommand,
  registerCommand,
  usersListCommand,
} from './account.ts';
import { adminCreateCommand, adminGrantCommand } from './admin.ts';
import { forecastCommand, historyCommand, showCommand } from './forecasts.ts';
import { healthCommand } from './health.ts';
import { jobsListCommand, jobsRunCommand, trackRecordCommand } from './jobs.ts';
import { pricesImportCommand, pricesListCommand, pricesSyncCommand } from './prices.ts';

export const commands: Command[] = [
  healthCommand,
  registerCommand,
  loginCommand,
  logoutCommand,
  meCommand,
  usersListCommand,
  logsListCommand,
  adminCreateCommand,
  adminGrantCommand,
  forecastCommand,
  historyCommand,
  showCommand,
  pricesImportCommand,
  pricesSyncCommand,
  pricesListCommand,
  trackRecordCommand,
  jobsListCommand,
  jobsRunCommand,
];
