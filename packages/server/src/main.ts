import { ensureDemoAdmin } from './auth/demo-admin.ts';
import { loadConfig } from './env.ts';
import { fatal } from './fatal.ts';
import { dashboardDistDir } from './paths.ts';
import { bootstrapPrices } from './prices/bootstrap.ts';
import { startServer } from './server.ts';

// Entry point of `pnpm start` / `pnpm dev`: the only place that touches process.env and signals.
let server: Awaited<ReturnType<typeof startServer>>;
try {
  const config = loadConfig();
  // An unreachable PostgreSQL fails within its 5 s connect timeout (db/client.ts).
  server = await startServer(config, { dashboardDir: dashboardDistDir() });
  console.log(`Ethcast API listening on ${server.url} (database: ${server.services.dbHandle.driver})`);
  const demo = await ensureDemoAdmin(server.services);
  if (demo) {
    console.log(`Demo admin created (shown once): username "${demo.username}", password "${demo.password}"`);
  }
  // After listening, and not awaited: loading prices on a first start never delays or stops the server.
  void bootstrapPrices(server.services, config, { info: console.log, warn: console.warn });
} catch (error) {
  fatal(error);
}

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      console.error('ethcast: shutdown took longer than 15 s, exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => fatal(error),
    );
  });
}
