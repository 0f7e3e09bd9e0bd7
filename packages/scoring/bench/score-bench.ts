// Benchmark (not a test): scores 10,000 customers holding 1,000,000 interactions in total and
// prints interactions per second and memory. Run with `pnpm --filter @pulso/scoring bench`.
// The target is 2,000,000 interactions/s on one core; results are recorded in BENCHMARK.md.
import { compileModel, scoreCustomer } from '../src/index.ts';
import { DEFAULT_CATEGORIES, DEFAULT_INTERACTION_TYPES, DEFAULT_SETTINGS } from '../src/index.ts';
import { generateWorkload } from './generate.ts';

const CUSTOMERS = 10_000;
const INTERACTIONS = 1_000_000;
const RUNS = 5;
const AS_OF = new Date('2026-06-01T00:00:00.000Z');
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

const model = compileModel({
  settings: { ...DEFAULT_SETTINGS },
  categories: DEFAULT_CATEGORIES.map((category) => ({ ...category })),
  interactionTypes: DEFAULT_INTERACTION_TYPES.map((type) => ({ ...type })),
  segmentWeights: { enterprise: { engagement: 20, commercial: 30 }, smb: { product_usage: 40 } },
});

const heapBefore = process.memoryUsage().heapUsed;
const workload = generateWorkload(CUSTOMERS, INTERACTIONS, AS_OF);
const heapWorkload = process.memoryUsage().heapUsed - heapBefore;
const total = workload.reduce((sum, entry) => sum + entry.interactions.length, 0);

console.log(
  `node ${process.version}, ${CUSTOMERS} customers, ${total} interactions (workload ≈ ${mb(heapWorkload)} of heap)`,
);

let checksum = 0;
const rates: number[] = [];
for (let run = 1; run <= RUNS; run++) {
  const start = process.hrtime.bigint();
  for (const { customer, interactions } of workload)
    checksum += scoreCustomer(model, customer, interactions, AS_OF).score;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const rate = total / seconds;
  rates.push(rate);
  console.log(`run ${run}: ${seconds.toFixed(3)} s, ${Math.round(rate).toLocaleString('en-US')} interactions/s`);
}

const sorted = [...rates].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;
const memory = process.memoryUsage();
console.log(`median: ${Math.round(median).toLocaleString('en-US')} interactions/s (target 2,000,000)`);
console.log(`memory: rss ${mb(memory.rss)}, heap used ${mb(memory.heapUsed)}`);
// Printed so the scoring work cannot be optimised away, and to spot a change of results.
console.log(`checksum (sum of all customers' scores, per run): ${(checksum / RUNS).toFixed(1)}`);
