import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EncodingError, openText } from './encoding.ts';

const text = 'id,name\nc1,Acme\nc2,São Paulo Comércio\n';

/** The text of the bytes, read in chunks of `chunk` bytes (a file streams in pieces). */
async function decode(bytes: Buffer, encoding?: string, chunk = 4): Promise<string> {
  const pieces = () =>
    Readable.from(
      Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk)),
    );
  let out = '';
  for await (const part of await openText(pieces, encoding)) out += part;
  return out;
}

describe('decoding a CSV file as it streams', () => {
  it('reads UTF-8, with or without a BOM, however its bytes are cut', async () => {
    expect(await decode(Buffer.from(text))).toBe(text);
    expect(await decode(Buffer.from(text), undefined, 1)).toBe(text);
    expect(await decode(Buffer.from(`\uFEFF${text}`))).toBe(text);
  });

  it('reads UTF-16 by its BOM', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(await decode(le)).toBe(text);
    const be = Buffer.from(le);
    be.swap16();
    expect(await decode(be, undefined, 3)).toBe(text);
  });

  it('refuses bytes that are not UTF-8 before reading on, naming the first such line and --encoding latin1', async () => {
    const latin1 = Buffer.from(text, 'latin1');
    await expect(decode(latin1)).rejects.toThrow(EncodingError);
    await expect(decode(latin1)).rejects.toThrow(/^line 3 is not UTF-8: .*--encoding latin1/);
    // Far into a file, cut across chunks, and at its very end (a sequence left unfinished).
    const long = Buffer.concat([Buffer.from('a,b\n'.repeat(5_000)), Buffer.from('x,\xe9t\xe9\n', 'latin1')]);
    await expect(decode(long, undefined, 4096)).rejects.toThrow(/^line 5001 is not UTF-8/);
    await expect(decode(Buffer.from([0x61, 0x0a, 0x62, 0xc3]), undefined, 1)).rejects.toThrow(/^line 2 is not UTF-8/);
  });

  it('decodes what --encoding names: latin1 (read as Windows-1252)', async () => {
    expect(await decode(Buffer.from(text, 'latin1'), 'latin1')).toBe(text);
    // Windows-1252's own characters (0x80-0x9F), which Latin-1 proper lacks: the euro sign.
    expect(await decode(Buffer.from([0x80, 0x93, 0x94]), 'latin1')).toBe('€\u201C\u201D');
    await expect(decode(Buffer.from(text), 'klingon')).rejects.toThrow(/--encoding klingon: not an encoding/);
  });
});
