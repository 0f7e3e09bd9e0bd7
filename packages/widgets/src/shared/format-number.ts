// The widgets show small numbers only: scores 0–100 and 30-day changes of ±100 at most, with no
// decimals or one. Intl.NumberFormat would format them, but the first one created on a page loads
// the language's number data: 120 ms of the demo page's script under 4× CPU throttling, more than
// everything else the three widgets do to render. Below 1,000 the widgets' languages differ only
// in their decimal separator (no grouping, ASCII digits and signs), so this formats exactly as
// Intl does for them; format-number.test.ts compares the two over the whole range.
import type { Locale } from './locale.ts';

const DECIMAL_SEPARATOR: Record<Locale, string> = { en: '.', 'pt-BR': ',', es: ',' };

export interface NumberStyle {
  /** Digits after the separator at most (trailing zeros dropped), as Intl's maximumFractionDigits. */
  fractionDigits?: number;
  /** A `+` before positive numbers and no sign on zero, as Intl's signDisplay 'exceptZero'. */
  signed?: boolean;
}

/** `value` in `locale`'s digits, rounded half away from zero. Meant for |value| < 1,000 rounded. */
export function formatNumber(
  locale: Locale,
  value: number,
  { fractionDigits = 0, signed = false }: NumberStyle = {},
): string {
  // Intl rounds the shortest decimal that reads back as the value (99.85, not the binary
  // 99.8499…): shift that decimal text by an exponent, then round. Below 1e-6 the text is in
  // exponent form already, and such a value rounds to zero anyway.
  const text = String(Math.abs(value));
  const units = text.includes('e') ? 0 : Math.round(Number(`${text}e${fractionDigits}`));
  const scale = 10 ** fractionDigits;
  const fraction = String(units % scale)
    .padStart(fractionDigits, '0')
    .replace(/0+$/, '');
  const digits = String(Math.floor(units / scale)) + (fraction ? DECIMAL_SEPARATOR[locale] + fraction : '');
  const sign = units === 0 ? '' : value < 0 ? '-' : signed ? '+' : '';
  return sign + digits;
}
