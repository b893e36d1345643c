export { type CsvFormat, detectFormat, type FormatName } from './formats.ts';
export { type PriceBar, type PriceFile, readPriceFile, type SymbolCandle } from './read-price-file.ts';
export { PriceFileError, PriceFileReader, type RowVisitor } from './reader.ts';
export type { RowFields } from './record.ts';
