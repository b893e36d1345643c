export type RetryOptions = {
  /** attempts after the first (default 4) */
  retries?: number;
  /** first backoff; doubles each retry (default 500 ms) */
  baseDelayMs?: number;
  /** longest single wait, also caps Retry-After (default 30 s) */
  maxDelayMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** called before each retry, e.g. to print "retrying in 2 s" */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
};

/** A request that failed for good: a permanent status, or a transient one that outlived the retries. */
export class FetchError extends Error {
  override name = 'FetchError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const transient = (status: number) => status === 429 || status === 408 || status >= 500;

/**
 * GET a JSON document, retrying network errors, 408, 429 and 5xx with exponential backoff (honouring
 * Retry-After). Other statuses fail at once: retrying a 404 cannot help.
 */
export async function getJsonWithRetry(url: string, options: RetryOptions = {}): Promise<unknown> {
  const retries = options.retries ?? 4;
  const base = options.baseDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? sleepFor;
  const shown = url.replace(/\?.*$/, '');
  let lastReason = '';
  for (let attempt = 0; ; attempt++) {
    let retryAfterMs: number | null = null;
    try {
      const response = await doFetch(url, {
        headers: { accept: 'application/json', 'user-agent': 'ethcast-prices-sync' },
        signal: AbortSignal.timeout(20_000),
      });
      if (response.ok) return await response.json();
      const detail = await describeBody(response);
      lastReason = `HTTP ${response.status}${detail ? ` (${detail})` : ''}`;
      if (!transient(response.status)) {
        throw new FetchError(`GET ${shown} failed: ${lastReason}`, response.status);
      }
      const header = Number(response.headers.get('retry-after'));
      if (Number.isFinite(header) && header >= 0 && response.headers.has('retry-after')) {
        retryAfterMs = header * 1000;
      }
    } catch (error) {
      if (error instanceof FetchError) throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      lastReason = `network error (${cause?.code ?? cause?.message ?? (error as Error).name ?? 'unknown'})`;
    }
    if (attempt >= retries) {
      throw new FetchError(`GET ${shown} failed after ${attempt + 1} attempts: ${lastReason}`, null);
    }
    const delayMs = Math.min(maxDelay, retryAfterMs ?? base * 2 ** attempt);
    options.onRetry?.({ attempt: attempt + 1, delayMs, reason: lastReason });
    await sleep(delayMs);
  }
}

async function describeBody(response: Response): Promise<string> {
  try {
    const text = (await response.text()).trim();
    try {
      const message = (JSON.parse(text) as { message?: unknown }).message;
      if (typeof message === 'string') return message.slice(0, 200);
    } catch {}
    return text.slice(0, 200);
  } catch {
    return '';
  }
}
