/**
 * The one template syntax of the error catalogues (`errors.ts`, `input-errors.ts`, `legacy/failures.ts`)
 * and the dashboard's messages (`apps/dashboard/src/messages.ts`): `{name}` is replaced by `values.name`;
 * `{name:one|other}` picks the first form where `Intl.PluralRules(locale)` puts the number in `name` in
 * the category "one", the second otherwise, and the forms may hold placeholders too. A name missing from
 * `values` stays as written. Pure: the browser bundle and the server share it.
 */
export type TemplateValues = Record<string, string | number | boolean | null>;

const PLURAL = /\{(\w+):([^|{}]*(?:\{\w+\}[^|{}]*)*)\|([^|{}]*(?:\{\w+\}[^|{}]*)*)\}/g;
const PLACEHOLDER = /\{(\w+)\}/g;

const pluralRules = new Map<string, Intl.PluralRules>();
/** The CLDR plural category of `n` in `locale`, e.g. 'one' for 0 and 1 in pt-BR but only for 1 in en. */
function pluralCategory(locale: string, n: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules.select(n);
}

/** Fills a template (English plural rules unless `locale` says otherwise). */
export function renderTemplate(template: string, values: TemplateValues = {}, locale = 'en'): string {
  const chosen = template.replace(PLURAL, (whole, name: string, one: string, other: string) =>
    name in values ? (pluralCategory(locale, Number(values[name])) === 'one' ? one : other) : whole,
  );
  return chosen.replace(PLACEHOLDER, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
