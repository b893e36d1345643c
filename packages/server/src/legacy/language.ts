/**
 * The legacy backend answered in Portuguese and its clients match on those texts, so a browser's
 * `Accept-Language` (always sent, e.g. `en-US`) does not change them. English is asked for explicitly:
 * `?lang=en` or the header `X-Ethcast-Language: en`.
 */
export type Language = 'pt' | 'en';

export const LANGUAGE_HEADER = 'x-ethcast-language';

const languageOf = (value: unknown): Language | null => {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string') return null;
  const primary = text.trim().toLowerCase().split(/[-_]/)[0];
  return primary === 'en' ? 'en' : primary === 'pt' ? 'pt' : null;
};

/** `?lang=` first, then `X-Ethcast-Language`; anything else, or nothing, is Portuguese. */
export function pickLanguage(request: {
  query?: unknown;
  headers: Record<string, string | string[] | undefined>;
}): Language {
  const query = (request.query ?? {}) as Record<string, unknown>;
  return languageOf(query.lang) ?? languageOf(request.headers[LANGUAGE_HEADER]) ?? 'pt';
}
