// How long the portal widgets wait before asking again for what failed: a chunk that failed to load
// (the live connection's, a language's), a new token after a refused one: 2 s, then doubling with
// each failure up to a minute.
export const RETRY_MS = { first: 2_000, max: 60_000 };
