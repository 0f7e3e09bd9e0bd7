// Every id Pulso stores is a PostgreSQL uuid. A string that is not one makes PostgreSQL refuse the
// whole query (a cast error, not "no such row"), so ids that come from outside are checked here
// before they reach a query. Any version is accepted, as PostgreSQL's uuid type accepts them all.
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` is a uuid in its canonical text form (any letter case). */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
