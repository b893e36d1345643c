import { loadConfig } from '../env.ts';
import { fatal } from '../fatal.ts';
import type { MigrationReport } from './migrate.ts';
import { databaseUrlOf, openDatabase } from './open.ts';
import { describeTakeover } from './takeover/takeover.ts';

try {
  const config = loadConfig();
  let report: MigrationReport | undefined;
  const handle = await openDatabase(config, {
    onMigrated: (migrated) => {
      report = migrated;
    },
  });
  await handle.close();
  const applied = report?.applied.length ? report.applied.join(', ') : 'none pending';
  console.log(`Migrations applied to ${redactUrl(databaseUrlOf(config))}: ${applied}`);
  if (report?.takeover) console.log(describeTakeover(report.takeover));
} catch (error) {
  fatal(error);
}

function redactUrl(url: string) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
