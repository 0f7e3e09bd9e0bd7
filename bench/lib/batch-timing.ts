// A stream sent in order, in batches with a few in flight, timed batch by batch; then cut into
// tenths (oldest first), each tenth's throughput being its interactions over the time from the
// previous tenth's last answer to its own: how ingestion speed changes as histories grow (issue 19).
import { median } from './stats.ts';

export interface BatchTiming {
  /** Position of the batch's first interaction in the stream. */
  first: number;
  size: number;
  /** Milliseconds since the stream started. */
  sentMs: number;
  answeredMs: number;
}

/**
 * Sends `sizes.length` batches in order, at most `inFlight` at once (each worker takes the next
 * batch as soon as its previous one is answered); `onAnswered` runs as each batch is answered.
 */
export async function sendInOrder(
  sizes: number[],
  inFlight: number,
  send: (batch: number) => Promise<void>,
  onAnswered: (timing: BatchTiming) => void = () => {},
): Promise<BatchTiming[]> {
  const starts: number[] = [];
  let position = 0;
  for (const size of sizes) {
    starts.push(position);
    position += size;
  }
  const timings: BatchTiming[] = [];
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < sizes.length) {
        const batch = next++;
        const sentMs = performance.now() - started;
        await send(batch);
        const timing = { first: starts[batch]!, size: sizes[batch]!, sentMs, answeredMs: performance.now() - started };
        timings.push(timing);
        onAnswered(timing);
      }
    }),
  );
  return timings.sort((a, b) => a.first - b.first);
}

export interface Tenth {
  interactions: number;
  /** Interactions per second over the tenth. */
  rate: number;
  /** Median and 99th percentile of its batches' latencies, in ms. */
  p50: number;
  p99: number;
  /** When its last batch was answered, ms since the start. */
  endMs: number;
}

/** Batch sizes of `total` items in batches of `size` (the last one shorter). */
export function batchSizes(total: number, size: number): number[] {
  return Array.from({ length: Math.ceil(total / size) }, (_, i) => Math.min(size, total - i * size));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * The stream in tenths of its acknowledged interactions, in the order the answers came (sent in
 * order, that is the stream's order within a few batches): tenth k holds the batches whose answer
 * brought the count past k/10 of `total`, and lasts from the previous tenth's last answer to its own.
 */
export function tenths(timings: BatchTiming[], total: number): Tenth[] {
  const answered = [...timings].sort((a, b) => a.answeredMs - b.answeredMs);
  const groups: BatchTiming[][] = Array.from({ length: 10 }, () => []);
  let count = 0;
  for (const t of answered) {
    groups[Math.min(9, Math.floor((count * 10) / total))]!.push(t);
    count += t.size;
  }
  let previousEnd = 0;
  return groups
    .filter((own) => own.length > 0)
    .map((own) => {
      const endMs = own[own.length - 1]!.answeredMs;
      const interactions = own.reduce((n, t) => n + t.size, 0);
      const latencies = own.map((t) => t.answeredMs - t.sentMs);
      const tenth = {
        interactions,
        rate: interactions / ((endMs - previousEnd) / 1000),
        p50: median(latencies),
        p99: percentile(latencies, 99),
        endMs,
      };
      previousEnd = endMs;
      return tenth;
    });
}
