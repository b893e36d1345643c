export { type GarchTSeriesOptions, garchTBars, randomWalkBars } from './generate-series.ts';
export { type CsvLayout, type FileRow, fileRows, toCsv } from './price-files.ts';
