// Test fixture: takes the folder lock of argv[2], prints "acquired" or the refusal, and holds the lock
// until stdin closes (so a test decides when the holders let go).
import { acquireFolderLock, DatabaseLockedError } from '../db/folder-lock.ts';

const folder = process.argv[2] ?? '';
try {
  const lock = acquireFolderLock(folder);
  console.log('acquired');
  process.stdin.resume();
  process.stdin.on('end', () => {
    lock.release();
    process.exit(0);
  });
} catch (error) {
  console.log(error instanceof DatabaseLockedError ? `locked by ${error.owner.pid}` : String(error));
  process.exit(3);
}
