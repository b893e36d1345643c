import type { Command } from '../command.ts';
import { printJson } from '../output.ts';

export const healthCommand: Command = {
  name: 'health',
  usage: 'ethcast health [--json]',
  summary: 'Server status, database reachability and version',
  async run(ctx) {
    const health = await ctx.client.health.query();
    if (ctx.json) return printJson(health);
    console.log(
      `${health.status} · database ${health.database} (${health.driver}) · version ${health.version} · up ${health.uptimeSeconds}s · ${ctx.url}`,
    );
  },
};
