export {
  loadMapping,
  parseMapping,
  mappingSchema,
  columnsOf,
  MappingError,
  type Mapping,
  type OutcomeMapping,
} from './config.ts';
export { planRows, readCsv, type Plan, type PlannedRow, type BadRow } from './rows.ts';
export type { OutcomeRowPlan } from './outcome-rows.ts';
export { importCsv, resolveWorkspace, type ImportOptions, type ImportSummary } from './import.ts';
export { FileError } from './cells.ts';
export { decodeCsv, EncodingError } from './encoding.ts';
