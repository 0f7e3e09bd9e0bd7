import { describe, expect, it } from 'vitest';
import { formatNumber } from './format-number.ts';
import { LOCALES } from './locale.ts';

// Every value the widgets can show (scores and changes from -100 to 100 in steps of 0.01, plus
// values that sit on rounding ties) formats as the browser's own Intl.NumberFormat does.
const values: number[] = [];
for (let i = -10_000; i <= 10_000; i++) values.push(i / 100);
values.push(
  0.05,
  -0.05,
  0.15,
  2.25,
  -2.25,
  99.95,
  -99.95,
  0.04,
  -0.04,
  0.449,
  1e-9,
  -1e-9,
  -0,
  999.4,
  99.85,
  -99.85,
  1.005,
);

describe('formatNumber', () => {
  for (const locale of LOCALES) {
    it(`formats integers as Intl does in ${locale}`, () => {
      const intl = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
      // Intl writes "-0" for a negative value that rounds to zero; see the last test.
      const roundsToMinusZero = (value: number) => Object.is(value, -0) || (value < 0 && value > -0.5);
      for (const value of values)
        if (!roundsToMinusZero(value)) expect(formatNumber(locale, value), String(value)).toBe(intl.format(value));
    });

    it(`formats signed changes with one decimal as Intl does in ${locale}`, () => {
      const intl = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
      for (const value of values)
        expect(formatNumber(locale, value, { fractionDigits: 1, signed: true }), String(value)).toBe(
          intl.format(value),
        );
    });
  }

  it('writes no minus sign on a value that rounds to zero', () => {
    // Intl writes "-0" here; a score never is negative, and "-0" would only puzzle a reader.
    expect(formatNumber('en', -0.4)).toBe('0');
    expect(formatNumber('es', -0.04, { fractionDigits: 1 })).toBe('0');
  });
});
