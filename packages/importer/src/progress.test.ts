// The progress lines an import writes where stderr is no terminal (a log, a CI job): one every few
// seconds, and the final count when it stops, so the log does not end on a line written mid-way.
import { describe, expect, it } from 'vitest';
import { progressReporter } from './progress.ts';

describe('progress on a stream that is no terminal', () => {
  it('writes a line every few seconds, and the final count when it stops', () => {
    const lines: string[] = [];
    const stream = {
      isTTY: false,
      write: (text: string) => lines.push(text.trimEnd()),
    } as unknown as NodeJS.WriteStream;
    let read = 0;
    const reporter = progressReporter({ stream, size: 1_000, bytesRead: () => read, everySeconds: 60 });
    read = 480;
    reporter.update({ phase: 'import', rows: 1_000, bad: 0 });
    read = 1_000;
    reporter.update({ phase: 'import', rows: 2_085, bad: 3 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^import: 1,000 rows \(48 % of the file\), 0 bad/);
    reporter.stop();
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^import: 2,085 rows \(100 % of the file\), 3 bad/);
    // Nothing new since: stopping again writes nothing.
    reporter.stop();
    expect(lines).toHaveLength(2);
  });
});
