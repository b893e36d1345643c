import { loadConfig } from '../env.ts';
import type { MigrationReport } from './migrate.ts';
import { describeMigrationFailure, redactUrl } from './migrate-failure.ts';
import { databaseUrlOf, openDatabase } from './open.ts';
import { describeTakeover } from './takeover/takeover.ts';

let url: string | null = null;
try {
  const config = loadConfig();
  url = databaseUrlOf(config);
  let report: MigrationReport | undefined;
  const handle = await openDatabase(config, {
    onMigrated: (migrated) => {
      report = migrated;
    },
  });
  await handle.close();
  const applied = report?.applied.length ? report.applied.join(', ') : 'none pending';
  console.log(`Migrations applied to ${redactUrl(url)}: ${applied}`);
  if (report?.takeover) console.log(describeTakeover(report.takeover));
} catch (error) {
  console.error(`ethcast: ${describeMigrationFailure(error, url)}`);
  process.exit(1);
}
