export { type CsvLayout, type FileRow, fileRows, toCsv } from './price-files.ts';
