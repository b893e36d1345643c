import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServerProcess } from '../test/server-process.ts';
import { acquireFolderLock, DatabaseLockedError, lockPathOf } from './folder-lock.ts';

const serverDir = fileURLToPath(new URL('../..', import.meta.url));

/** Every file under `dir` with the SHA-256 of its content. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return out;
}

const lockOwnerPid = async (folder: string) =>
  (JSON.parse(await readFile(lockPathOf(folder), 'utf8')) as { pid: number }).pid;

// Each server process migrates a fresh PGlite folder: slow on a loaded machine, hence the long timeouts.
describe('embedded database folder lock', { timeout: 240_000 }, () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ethcast-lock-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('refuses a second process with one line naming the holder, and the folder is left untouched', async () => {
    const folder = join(root, 'held');
    const holder = spawnServerProcess({ DATABASE_URL: folder });
    const url = await holder.ready;
    try {
      expect(await lockOwnerPid(folder)).toBe(holder.child.pid);
      const before = await snapshot(root);

      const second = spawnServerProcess({ DATABASE_URL: folder });
      expect(await second.exit).toBe(1);
      const lines = second.output().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`^ethcast: the embedded database ${folder} is in use by process ${holder.child.pid} \\(`),
      );
      expect(lines[0]).toContain('stop that process first');

      // the same folder through a symbolic link is the same database
      const link = join(root, 'held-link');
      await symlink(folder, link);
      const third = spawnServerProcess({ DATABASE_URL: link });
      expect(await third.exit).toBe(1);
      const thirdLines = third.output().trim().split('\n');
      expect(thirdLines).toHaveLength(1);
      expect(thirdLines[0]).toContain(`is in use by process ${holder.child.pid} (`);
      await rm(link);

      expect(await snapshot(root)).toEqual(before);
      expect((await fetch(`${url}/health`)).status).toBe(200);
    } finally {
      expect(await holder.stop()).toBe(0);
    }
    expect(existsSync(lockPathOf(folder))).toBe(false);
  });

  it('takes over the stale lock of a killed process, and the data survives', async () => {
    const folder = join(root, 'stale');
    const killed = spawnServerProcess({ DATABASE_URL: folder });
    const url = await killed.ready;
    const register = await fetch(`${url}/trpc/users.register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { username: 'survivor', password: 'survivor-password' } }),
    });
    expect(register.status).toBe(200);
    killed.child.kill('SIGKILL');
    await killed.exit;
    expect(await lockOwnerPid(folder)).toBe(killed.child.pid);

    const next = spawnServerProcess({ DATABASE_URL: folder });
    await next.ready;
    try {
      expect(await lockOwnerPid(folder)).toBe(next.child.pid);
    } finally {
      expect(await next.stop()).toBe(0);
    }
    const db = await PGlite.create(folder);
    try {
      const users = await db.query<{ username: string }>('select username from users');
      expect(users.rows.map((r) => r.username)).toContain('survivor');
    } finally {
      await db.close();
    }
  });

  it('lets exactly one of several processes take over the same stale lock', async () => {
    const folder = join(root, 'contended');
    await writeFile(
      lockPathOf(folder),
      JSON.stringify({ pid: 2 ** 22 + 7, host: (await import('node:os')).hostname(), startTicks: 1 }),
    );
    const contenders = Array.from({ length: 4 }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/test/acquire-lock.ts', folder], {
        cwd: serverDir,
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      let out = '';
      const said = new Promise<string>((resolve) => {
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes('\n')) resolve(out.trim());
        });
        child.on('exit', (code) => resolve(`exited ${code}: ${out.trim()}`));
      });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      return { child, said, exited };
    });
    const results = await Promise.all(contenders.map((c) => c.said));
    for (const c of contenders) c.child.stdin.end();
    const winners = results.filter((r) => r === 'acquired');
    expect(winners).toHaveLength(1);
    const winner = contenders[results.indexOf('acquired')];
    for (const r of results) if (r !== 'acquired') expect(r).toBe(`locked by ${winner?.child.pid}`);
    await Promise.all(contenders.map((c) => c.exited));
    expect(existsSync(lockPathOf(folder))).toBe(false);
  });

  it('creates the parent folder of a fresh clone (no .data/ yet)', () => {
    const folder = join(root, 'not-yet', 'pglite');
    const lock = acquireFolderLock(folder);
    expect(existsSync(lockPathOf(folder))).toBe(true);
    lock.release();
  });

  it('keys on the real folder: a symbolic link to it, or to its parent, meets the same lock', async () => {
    const folder = join(root, 'real', 'pglite');
    await mkdir(folder, { recursive: true });
    await symlink(folder, join(root, 'link-to-folder'));
    await symlink(join(root, 'real'), join(root, 'link-to-parent'));
    const lock = acquireFolderLock(folder);
    try {
      expect(() => acquireFolderLock(join(root, 'link-to-folder'))).toThrow(DatabaseLockedError);
      expect(() => acquireFolderLock(join(root, 'link-to-parent', 'pglite'))).toThrow(DatabaseLockedError);
      expect(() => acquireFolderLock(join(root, 'link-to-parent', '.', 'pglite', '/'))).toThrow(
        DatabaseLockedError,
      );
    } finally {
      lock.release();
    }
    // held through the link, the real path is refused too
    const viaLink = acquireFolderLock(join(root, 'link-to-folder'));
    try {
      expect(() => acquireFolderLock(folder)).toThrow(DatabaseLockedError);
    } finally {
      viaLink.release();
    }
  });

  it('follows a link whose folder does not exist yet', async () => {
    const target = join(root, 'later', 'pglite');
    await symlink(target, join(root, 'dangling'));
    const lock = acquireFolderLock(join(root, 'dangling'));
    try {
      expect(() => acquireFolderLock(target)).toThrow(DatabaseLockedError);
    } finally {
      lock.release();
    }
  });

  it('refuses a second opener in the same process and frees the folder on release', () => {
    const folder = join(root, 'same-process');
    const lock = acquireFolderLock(folder);
    expect(() => acquireFolderLock(folder)).toThrow(DatabaseLockedError);
    lock.release();
    acquireFolderLock(folder).release();
    expect(existsSync(lockPathOf(folder))).toBe(false);
  });
});
