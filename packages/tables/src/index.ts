export {
  TABLE_KEYWORDS,
  TableFormError,
  tableLayout,
  logicVars,
  columnTypeOf,
  type ColumnDef,
  type ColumnType,
  type HeaderNode,
  type PreambleLine,
  type Row,
  type SectionDef,
  type TableForm,
  type TableLayout,
} from './form.js';
export { computeRows, computeData, computeSection, roundTo, type ComputedSection } from './compute.js';
export { normalizeCell, type CellSpec, type Normalized, type RawCell } from './normalize.js';
export { normalizeData, type DataNote } from './normalize-data.js';
export { importGrid, columnLetter, type Grid, type GridCell, type ImportError, type ImportResult } from './import.js';
export { exportXlsx, writeXlsx, templateXlsx, importXlsx, readXlsx, buildWorkbook, numFmtOf, wrappedLines, EXPORT_PROGRESS_ROWS, type ExportOptions, type ExtraColumn } from './xlsx.js';
export { exportCsv, importCsv, parseCsv, decodeCsv } from './csv.js';
export { checkTableForm, type Problem } from './check.js';
export { tableChecks, tableFormsCheck, tablePrefillCheck } from './pack-checks.js';
export { impactXlsx } from './impact-xlsx.js';
export { tablePrefillOf, prefillQualifies, prefillRow, prefillTop, prefillSection, valueAtPath, schemaAtPath, PARK_FACTS, ORG_SOURCES, type TablePrefill, type PrefillPark, type PrefillSource, type OrgSource, type ParkFact } from './prefill.js';
