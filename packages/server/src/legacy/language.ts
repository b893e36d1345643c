/** The legacy backend answered in Portuguese; `Accept-Language: en` (preferred over pt) asks for English. */
export type Language = 'pt' | 'en';

/** Picks pt or en from an Accept-Language header by q-value; anything else, or nothing, is pt. */
export function pickLanguage(header: string | undefined): Language {
  if (!header) return 'pt';
  let best: { language: Language; q: number } = { language: 'pt', q: 0 };
  for (const part of header.split(',').slice(0, 20)) {
    const [tag = '', ...options] = part.trim().toLowerCase().split(';');
    const primary = tag.trim().split('-')[0];
    if (primary !== 'en' && primary !== 'pt') continue;
    const qOption = options.map((o) => o.trim()).find((o) => o.startsWith('q='));
    const q = qOption ? Number(qOption.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (q > best.q) best = { language: primary, q };
  }
  return best.language;
}
