export {
  loadMapping,
  parseMapping,
  mappingSchema,
  columnsOf,
  MappingError,
  type Mapping,
  type OutcomeMapping,
} from './config.ts';
export { RowPlanner, type PlannedRow, type BadRow } from './rows.ts';
export type { OutcomeRowPlan } from './outcome-rows.ts';
export { importCsv, type ImportOptions, type ImportSummary, type Progress } from './import.ts';
export { connect, ConnectError, resolveWorkspace, type ConnectOptions } from './connect.ts';
export { directSink } from './direct-sink.ts';
export { serverSink } from './server-sink.ts';
export { graphqlClient, ServerError, type GraphQLClient } from './graphql-client.ts';
export type { ImportSink } from './sink.ts';
export { importCommand, IMPORT_USAGE, EXIT_BAD_ROWS, EXIT_INTERRUPTED, type ImportContext } from './command.ts';
export { FileError } from './cells.ts';
export { openText, checkUtf8, EncodingError } from './encoding.ts';
