// The languages the widgets speak, and which of them a BCP 47 tag means. Apart from the messages
// (each element has its own: a product page's rating carries none of the portal's words).

export const LOCALES = ['en', 'pt-BR', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

/** The supported locale closest to a BCP 47 tag: any Portuguese is pt-BR, any Spanish is es. */
export function matchLocale(tag: string | null | undefined): Locale | null {
  const language = tag?.trim().toLowerCase().split(/[-_]/)[0];
  if (language === 'pt') return 'pt-BR';
  if (language === 'es') return 'es';
  if (language === 'en') return 'en';
  return null;
}
