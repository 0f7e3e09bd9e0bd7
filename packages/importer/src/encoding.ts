// The file's bytes to text, streamed. UTF-8 (with or without a BOM) and UTF-16 (told by its BOM)
// are recognised; anything else must be named with --encoding. Bytes that are not UTF-8 are refused
// rather than stored as U+FFFD ("S\uFFFDo Paulo"), since a spreadsheet saved as Latin-1 or
// Windows-1252 reads as UTF-8 only up to its first accent, and refused before anything is written:
// a UTF-8 file is read twice, once through the platform's strict TextDecoder to check every byte
// (about a second for 100 MB), then to import. Decoding is iconv-lite's decodeStream, for UTF-8 and
// UTF-16 as for a named encoding, since Node 20's TextDecoder reads windows-1252 as ISO-8859-1 (no
// euro sign, no curly quotes: what Excel on Windows writes). Neither pass holds more of the file
// than a chunk and the line it is in.
import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { FileError } from './cells.ts';

/**
 * 'latin1' is read as Windows-1252, as browsers do (the WHATWG Encoding Standard): the same
 * characters, plus the printable ones Windows puts at 0x80-0x9F (the euro sign, curly quotes).
 */
const ALIASES: Record<string, string> = { latin1: 'windows-1252', 'iso-8859-1': 'windows-1252', l1: 'windows-1252' };

export class EncodingError extends FileError {}

/** Opens the bytes again from the start: a file read twice (checked, then imported), or a buffer. */
export type OpenBytes = () => Readable;

/**
 * The text of the bytes, as a stream of strings: `encoding` when given, else UTF-16 by its BOM,
 * else UTF-8, checked whole first (an EncodingError names the first line that is not UTF-8).
 */
export async function openText(open: OpenBytes, encoding?: string): Promise<Readable> {
  const name = encoding === undefined ? await detect(open) : named(encoding);
  if (name === 'utf-8') await checkUtf8(open());
  // iconv-lite drops a BOM of the encoding it decodes; csv-parse would drop a UTF-8 one anyway.
  // decodeStream is a Transform (typed as a bare ReadWriteStream): its readable side carries strings.
  return open().pipe(iconv.decodeStream(name)) as unknown as Readable;
}

function named(encoding: string): string {
  const name = ALIASES[encoding.toLowerCase()] ?? encoding;
  if (!iconv.encodingExists(name))
    throw new EncodingError(
      `--encoding ${encoding}: not an encoding this importer knows (try utf-8, latin1, utf-16le)`,
    );
  return name;
}

/** UTF-16 by its byte order mark, else UTF-8. */
async function detect(open: OpenBytes): Promise<string> {
  const stream = open();
  let head = Buffer.alloc(0);
  for await (const chunk of stream) {
    head = Buffer.concat([head, chunk as Buffer]);
    if (head.length >= 2) break;
  }
  stream.destroy();
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/** Reads every byte through a strict decoder; refuses naming the first line that is not UTF-8. */
export async function checkUtf8(bytes: Readable): Promise<void> {
  const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let line = 1;
  // The bytes of the line being read, from its start: where a bad byte is, is found in them.
  let partial = Buffer.alloc(0);
  const refuse = (tail: Buffer) => {
    bytes.destroy();
    return new EncodingError(
      `line ${line + firstBadLine(Buffer.concat([partial, tail])) - 1} is not UTF-8: if the file was saved as Latin-1 or Windows-1252 (Excel's "CSV" on Windows), import it with --encoding latin1`,
    );
  };
  for await (const chunk of bytes) {
    const buffer = chunk as Buffer;
    try {
      strict.decode(buffer, { stream: true });
    } catch {
      throw refuse(buffer);
    }
    const last = buffer.lastIndexOf(0x0a);
    if (last === -1) partial = Buffer.concat([partial, buffer]);
    else {
      for (let i = buffer.indexOf(0x0a); i !== -1 && i <= last; i = buffer.indexOf(0x0a, i + 1)) line += 1;
      partial = Buffer.from(buffer.subarray(last + 1));
    }
  }
  try {
    strict.decode();
  } catch {
    throw refuse(Buffer.alloc(0));
  }
}

/** The number (from 1) of the first line of `bytes`, which start a line, holding bytes that are not UTF-8. */
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
  return line - 1;
}
