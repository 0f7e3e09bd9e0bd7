// The code of the worker thread that runs PGlite (pglite-in-worker.ts). Kept as source text and
// started with `eval`, so that it runs the same way from the TypeScript sources (tests, tsx) and
// from the bundles scripts/build.mjs writes, without a second entry file to find at run time.
// It loads PGlite's CommonJS build by the path the main thread resolved.
//
// Protocol: the worker answers each { id, op, ... } message with { id, result } or { id, error };
// it posts { ready: true } once the database is open (or { failed } when it cannot open).
// Values travel by structured clone: what PGlite parses (dates, numbers, JSON, bytes) arrives as
// is; columns whose type the caller parses itself (`rawTypes`) are left as PostgreSQL's text.
export const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite, messages } = require(workerData.pgliteModule);

const identity = (value) => value;
const rawParsers = new Map();
function optionsOf(options) {
  if (!options) return undefined;
  const { rawTypes, ...rest } = options;
  if (!rawTypes || rawTypes.length === 0) return rest;
  const key = rawTypes.join(',');
  let parsers = rawParsers.get(key);
  if (!parsers) {
    parsers = Object.fromEntries(rawTypes.map((oid) => [oid, identity]));
    rawParsers.set(key, parsers);
  }
  return { ...rest, parsers };
}

function errorOf(error) {
  if (!(error instanceof Error)) return { message: String(error) };
  const copy = { message: error.message, name: error.name, stack: error.stack, fields: {} };
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === 'function') continue;
    try {
      structuredClone(value);
      copy.fields[key] = value;
    } catch {}
  }
  copy.databaseError = error instanceof messages.DatabaseError;
  return copy;
}

let pglite;
const operations = {
  query: ({ sql, params, options }) => pglite.query(sql, params, optionsOf(options)),
  exec: ({ sql, options }) => pglite.exec(sql, optionsOf(options)),
  dump: async ({ compression }) => {
    const file = await pglite.dumpDataDir(compression);
    return { bytes: new Uint8Array(await file.arrayBuffer()), type: file.type };
  },
  close: async () => {
    await pglite.close();
    return null;
  },
};

parentPort.on('message', async ({ id, op, ...args }) => {
  try {
    const result = await operations[op](args);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: errorOf(error) });
  }
});

PGlite.create({ dataDir: workerData.dataDir })
  .then((opened) => {
    pglite = opened;
    parentPort.postMessage({ ready: true });
  })
  .catch((error) => parentPort.postMessage({ failed: errorOf(error) }));
`;
