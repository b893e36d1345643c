/** How long the CLI waits for a server's liveness answer before it opens the database itself. */
const PROBE_TIMEOUT_MS = 5000;

/**
 * True when an Ethcast server answers `GET /health` at `url`. prices:import, prices:sync, prices:list
 * and admin:create go through such a server (so they never open a database the server holds); with
 * none answering they open the database themselves, under its lock.
 */
export async function serverAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url.replace(/\/+$/, '')}/health`, {
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => null)) as { status?: unknown } | null;
    return response.ok && body?.status === 'ok';
  } catch {
    return false;
  }
}
