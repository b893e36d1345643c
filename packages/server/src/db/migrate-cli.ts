import { loadConfig } from '../env.ts';
import { fatal } from '../fatal.ts';
import { databaseUrlOf, openDatabase } from './open.ts';

try {
  const config = loadConfig();
  const handle = await openDatabase(config);
  await handle.close();
  console.log(`Migrations applied to ${redactUrl(databaseUrlOf(config))}`);
} catch (error) {
  fatal(error);
}

function redactUrl(url: string) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
