// The file's bytes to text. UTF-8 (with or without a BOM) and UTF-16 (told by its BOM) are
// recognised; anything else must be named with --encoding: bytes that are not UTF-8 are refused
// rather than stored as U+FFFD ("S\uFFFDo Paulo"), since a spreadsheet saved as Latin-1 or
// Windows-1252 reads as UTF-8 only up to its first accent. UTF-8 is checked with the platform's
// TextDecoder; a named encoding is decoded by iconv-lite, since Node 20's TextDecoder reads
// windows-1252 as ISO-8859-1 (no euro sign, no curly quotes: what Excel on Windows writes).
import iconv from 'iconv-lite';
import { FileError } from './cells.ts';

/**
 * 'latin1' is read as Windows-1252, as browsers do (the WHATWG Encoding Standard): the same
 * characters, plus the printable ones Windows puts at 0x80-0x9F (the euro sign, curly quotes).
 */
const ALIASES: Record<string, string> = { latin1: 'windows-1252', 'iso-8859-1': 'windows-1252', l1: 'windows-1252' };

export class EncodingError extends FileError {}

/** Decodes a CSV file's bytes: `encoding` when given, else UTF-16 by its BOM, else strict UTF-8. */
export function decodeCsv(bytes: Uint8Array, encoding?: string): string {
  if (encoding !== undefined) {
    const name = ALIASES[encoding.toLowerCase()] ?? encoding;
    if (!iconv.encodingExists(name))
      throw new EncodingError(
        `--encoding ${encoding}: not an encoding this importer knows (try utf-8, latin1, utf-16le)`,
      );
    // iconv-lite strips a BOM of the encoding it decodes; csv-parse would drop it anyway.
    return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), name);
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    // The BOM, if any, is left in: csv-parse drops it (`bom: true`).
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new EncodingError(
      `line ${firstBadLine(bytes)} is not UTF-8: if the file was saved as Latin-1 or Windows-1252 (Excel's "CSV" on Windows), import it with --encoding latin1`,
    );
  }
}

/** The number of the first line holding bytes that are not UTF-8. */
function firstBadLine(bytes: Uint8Array): number {
  const strict = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    try {
      strict.decode(bytes.subarray(start, i));
    } catch {
      return line;
    }
    line += 1;
    start = i + 1;
  }
  return line;
}
