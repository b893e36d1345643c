import {
  linkSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * One process owns an embedded (PGlite) database folder. PGlite has no postmaster to refuse a second
 * opener: two processes on one folder each replay and overwrite the other's WAL, which left stale
 * indexes, duplicate primary keys and lost rows. The lock is a file beside the folder's real path
 * (`<folder>.lock`, symbolic links resolved, so a link to the folder meets the same lock),
 * created atomically (link of a finished file, which fails when the lock exists) holding the owner's pid, host and process start time. A lock whose process is
 * gone (killed, crashed) is stale and taken over; a live owner makes the opener fail at once, before it
 * touches the folder.
 */

export type LockOwner = {
  pid: number;
  host: string;
  /** Linux process start time (clock ticks since boot), so a recycled pid is not mistaken for the owner */
  startTicks: number | null;
  since: string;
  command: string;
};

export class DatabaseLockedError extends Error {
  override name = 'DatabaseLockedError';
  readonly code = 'DATABASE_LOCKED';
  constructor(
    readonly folder: string,
    readonly owner: LockOwner,
  ) {
    super(
      `the embedded database ${folder} is in use by process ${owner.pid} (${owner.command}, since ${owner.since}); ` +
        'stop that process first, or let it do the work: while the server runs, prices:import, prices:sync and ' +
        'admin:create go through it (set ETHCAST_URL if it is not on http://127.0.0.1:3000)',
    );
  }
}

export type FolderLock = { path: string; release(): void };

/**
 * The folder's real path: symbolic links (of the folder or of any parent) resolved, also when the folder
 * or a link's target does not exist yet, so every spelling of one folder meets the same lock.
 */
export function realFolder(folder: string): string {
  let path = resolve(folder);
  const rest: string[] = [];
  for (let hops = 0; hops < 64; hops++) {
    try {
      return join(realpathSync(path), ...rest.reverse());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    let target: string | null = null;
    try {
      target = readlinkSync(path); // a link whose target is missing
    } catch {
      // not a link, or missing: look at its parent
    }
    if (target !== null) {
      path = resolve(dirname(path), target);
      continue;
    }
    const parent = dirname(path);
    if (parent === path) break;
    rest.push(basename(path));
    path = parent;
  }
  return join(path, ...rest.reverse());
}

export const lockPathOf = (folder: string) => `${realFolder(folder).replace(/\/+$/, '')}.lock`;

/** Takes the lock of `folder` or throws DatabaseLockedError naming the live owner. */
export function acquireFolderLock(folder: string): FolderLock {
  const path = lockPathOf(folder);
  // A fresh clone has no .data/ yet: the lock beside the folder needs its parent.
  mkdirSync(dirname(path), { recursive: true });
  const me = currentOwner();
  for (let attempt = 0; attempt < 100; attempt++) {
    if (tryCreate(path, me)) return held(path, me);
    const owner = readOwner(path);
    if (owner === undefined) continue; // removed meanwhile: try again
    if (owner !== null && isAlive(owner)) throw new DatabaseLockedError(resolve(folder), owner);
    takeOverStale(path, owner);
  }
  throw new DatabaseLockedError(resolve(folder), readOwner(path) ?? { ...me, command: 'another opener' });
}

function held(path: string, me: LockOwner): FolderLock {
  let released = false;
  // process.exit() skips close(); a lock file left by a kill without exit is stale and taken over.
  const onExit = () => release();
  process.once('exit', onExit);
  function release() {
    if (released) return;
    released = true;
    process.removeListener('exit', onExit);
    const owner = readOwner(path);
    if (owner && owner.pid === me.pid && owner.startTicks === me.startTicks) safeUnlink(path);
  }
  return { path, release };
}

/** Writes the owner to a private file, then links it into place: the lock never exists half-written. */
function tryCreate(path: string, owner: LockOwner): boolean {
  const draft = `${path}.${process.pid}.tmp`;
  writeFileSync(draft, `${JSON.stringify(owner)}\n`, { mode: 0o600 });
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    safeUnlink(draft);
  }
}

/**
 * Removes a stale lock under a short-lived second lock (`<lock>.takeover`), re-checking inside it that
 * the lock is still the stale one: only a takeover holder ever deletes another process's lock, and the
 * lock cannot be replaced while it exists, so a fresh lock is never deleted. Of several processes taking
 * over at once, one removes the stale lock and wins the next create; the others find the winner's lock.
 * A takeover lock left by a process that died in those few microseconds is itself stale and removed.
 */
function takeOverStale(path: string, stale: LockOwner | null) {
  const takeover = `${path}.takeover`;
  if (!tryCreate(takeover, currentOwner())) {
    const holder = readOwner(takeover);
    if (holder === null || (holder !== undefined && !isAlive(holder))) safeUnlink(takeover);
    else pause(10);
    return;
  }
  try {
    const now = readOwner(path);
    if (now === null || (now !== undefined && sameOwner(now, stale) && !isAlive(now))) safeUnlink(path);
  } finally {
    safeUnlink(takeover);
  }
}

const sameOwner = (a: LockOwner, b: LockOwner | null) =>
  b !== null && a.pid === b.pid && a.startTicks === b.startTicks && a.host === b.host;

function pause(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The lock's owner; null when the file is unreadable garbage (treated as stale); undefined when absent. */
function readOwner(path: string): LockOwner | null | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    return Number.isSafeInteger(owner.pid) && owner.pid > 0 ? owner : null;
  } catch {
    return null;
  }
}

function isAlive(owner: LockOwner): boolean {
  // Another machine sharing the folder (network file system): its processes cannot be checked.
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const ticks = startTicksOf(owner.pid);
  return ticks === null || owner.startTicks === null || ticks === owner.startTicks;
}

function currentOwner(): LockOwner {
  return {
    pid: process.pid,
    host: hostname(),
    startTicks: startTicksOf(process.pid),
    since: new Date().toISOString(),
    command: describeCommand(),
  };
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised name, which may hold spaces); null off Linux. */
function startTicksOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

/** What the owner is, for the refusal line: e.g. `ethcast server (src/main.ts)` or `ethcast cli prices:import`. */
function describeCommand(): string {
  const script = process.argv.find((a) => /\.(ts|js|mjs)$/.test(a) && !a.includes('node_modules'));
  const name = script ? script.split('/').slice(-2).join('/') : 'node';
  const subcommand = process.argv
    .slice(process.argv.indexOf(script ?? '') + 1)
    .find((a) => !a.startsWith('-'));
  return [name, ...(subcommand ? [subcommand] : [])].join(' ').slice(0, 120);
}

function safeUnlink(path: string) {
  try {
    unlinkSync(path);
  } catch {}
}
