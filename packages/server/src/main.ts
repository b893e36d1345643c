import { prepareAdminToken } from './auth/admin-token.ts';
import { loadConfig } from './env.ts';
import { fatal } from './fatal.ts';
import { dashboardDistDir } from './paths.ts';
import { type RunningServer, startServer } from './server.ts';
import { bootstrapPrices } from './startup/bootstrap-prices.ts';
import { ensureDemoAdmin } from './startup/demo-admin.ts';

// Entry point of `pnpm start` / `pnpm dev`: the only place that handles signals and exits. The
// environment is read by env.ts (loadConfig), nowhere else.
let server: RunningServer | undefined;
let stopSignal: NodeJS.Signals | undefined;

// Registered before the database opens: a signal during start-up (migrations included) still ends in a
// clean close of the embedded database, never a kill mid-write.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopSignal) return;
    stopSignal = signal;
    if (server) void shutDown(server, signal);
  });
}

function shutDown(running: RunningServer, signal: NodeJS.Signals) {
  running.app.log.info({ signal }, 'shutting down: finishing in-flight requests');
  const force = setTimeout(() => {
    console.error('ethcast: shutdown took longer than 15 s, exiting');
    process.exit(1);
  }, 15_000);
  force.unref();
  return running.close().then(
    () => process.exit(0),
    (error: unknown) => fatal(error),
  );
}

try {
  const config = loadConfig();
  // An unreachable PostgreSQL fails within its 5 s connect timeout (db/client.ts).
  server = await startServer(config, { dashboardDir: dashboardDistDir() });
  if (stopSignal) await shutDown(server, stopSignal);
  const demo = await ensureDemoAdmin(server.services);
  if (demo) {
    console.log(`Demo admin created (shown once): username "${demo.username}", password "${demo.password}"`);
  }
  const tokenFile = await prepareAdminToken(server.services);
  if (tokenFile) {
    console.log(
      `No admin yet: create the first one on this machine with "pnpm ethcast admin:create <username>" (it reads the one-time token in ${tokenFile})`,
    );
  }
  // Announced after the demo admin and the first-admin token exist: `admin:create` works from this line on.
  console.log(`Ethcast API listening on ${server.url} (database: ${server.services.dbHandle.driver})`);
  // After listening, and not awaited: loading prices on a first start never delays or stops the server.
  void bootstrapPrices(server.services, config, { info: console.log, warn: console.warn });
} catch (error) {
  fatal(error);
}
