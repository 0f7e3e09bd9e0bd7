// A workspace's own name for one of its categories in a language, where it gave one (the API's
// `names`): the widget's exact tag first (pt-BR), else a tag of the same language (pt, es-MX).

/** A name in one language, as the API gives it. */
export interface LocalizedName {
  locale: string;
  name: string;
}

export function ownName(names: readonly LocalizedName[] | null | undefined, locale: string): string | undefined {
  const language = (tag: string) => tag.split('-')[0];
  return (names?.find((n) => n.locale === locale) ?? names?.find((n) => language(n.locale) === language(locale)))?.name;
}
