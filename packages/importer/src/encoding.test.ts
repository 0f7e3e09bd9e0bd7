import { describe, expect, it } from 'vitest';
import { decodeCsv, EncodingError } from './encoding.ts';

const text = 'id,name\nc1,Acme\nc2,São Paulo Comércio\n';

describe('decoding a CSV file', () => {
  it('reads UTF-8, with or without a BOM (csv-parse drops the BOM)', () => {
    expect(decodeCsv(Buffer.from(text))).toBe(text);
    expect(decodeCsv(Buffer.from(`\uFEFF${text}`))).toBe(`\uFEFF${text}`);
  });

  it('reads UTF-16 by its BOM', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(decodeCsv(le)).toBe(text);
    const be = Buffer.from(le);
    be.swap16();
    expect(decodeCsv(be)).toBe(text);
  });

  it('refuses bytes that are not UTF-8, naming the first such line and --encoding latin1', () => {
    const latin1 = Buffer.from(text, 'latin1');
    expect(() => decodeCsv(latin1)).toThrow(EncodingError);
    expect(() => decodeCsv(latin1)).toThrow(/^line 3 is not UTF-8: .*--encoding latin1/);
  });

  it('decodes what --encoding names: latin1 (read as Windows-1252)', () => {
    expect(decodeCsv(Buffer.from(text, 'latin1'), 'latin1')).toBe(text);
    // Windows-1252's own characters (0x80-0x9F), which Latin-1 proper lacks: the euro sign.
    expect(decodeCsv(Buffer.from([0x80, 0x93, 0x94]), 'latin1')).toBe('€\u201C\u201D');
    expect(() => decodeCsv(Buffer.from(text), 'klingon')).toThrow(/--encoding klingon: not an encoding/);
  });
});
