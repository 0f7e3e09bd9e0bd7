import { createReadStream } from 'node:fs';
import { connect } from './src/connect.ts';
import { loadMapping } from './src/config.ts';
import { openText } from './src/encoding.ts';
import { importCsv } from './src/import.ts';
const [file, dry] = process.argv.slice(2);
const sink = await connect({ env: process.env, dryRun: dry === 'dry' });
const mb = (n: number) => Math.round(n / 1048576);
let next = 0;
const s = await importCsv({
  sink,
  mapping: loadMapping('../../docs/import/zendesk-tickets.json'),
  csv: await openText(() => createReadStream(file!)),
  fileName: 't.csv',
  dryRun: dry === 'dry',
  onProgress: (p) => {
    if ((p.phase === 'import' && p.rows >= next) || (p.phase === 'history' && (p.done ?? 0) % 1000 < 200)) {
      if (p.phase === 'import') next += 20_000;
      global.gc!();
      const m = process.memoryUsage();
      console.log(
        p.phase,
        p.rows,
        p.done,
        'heapUsed',
        mb(m.heapUsed),
        'rss',
        mb(m.rss),
        'external',
        mb(m.external),
        'arrayBuffers',
        mb(m.arrayBuffers),
      );
    }
  },
});
console.log(s.rows, 'maxRSS MB', Math.round(process.resourceUsage().maxRSS / 1024));
await sink.close();
