import type { PriceFileReader, RowFields } from '@ethcast/price-file';
import { isValidSymbol } from '../domain/symbol.ts';
import { cellAt } from './cells.ts';
import { DaySet } from './day-set.ts';

export type BadRow = { line: number; reason: string };

/** A symbol met in the file. */
export type SymbolState = {
  symbol: string;
  days: DaySet;
  /** PostgreSQL: whether it had stored days when first seen (under its advisory lock); null until then */
  stored: boolean | null;
};

/** Where good rows go. `add` returns a promise when the reader must wait before reading on. */
export type RowSink = {
  add(state: SymbolState, row: RowFields): Promise<void> | undefined;
};

const BAD_ROWS_KEPT = 20;

/**
 * Lines read ahead for the symbols to look up together with an unseen one (each lookup ends a COPY);
 * the size is a measured trade of speed for memory (docs/benchmarks.md, Price import).
 */
const LOOKAHEAD_LINES = 65_536;

export type RowReaderOptions = {
  /** every row's symbol (a file without a symbol column), or the only one allowed */
  fixedSymbol: string | undefined;
  /** after the first bad row nothing more is handed on */
  strict: boolean;
  /** every few thousand rows */
  onProgress: () => void;
};

/**
 * Checks the rows a price-file reader validated (symbol, duplicate days) and hands the good ones to a
 * sink. Keeps what the report needs: the symbols met with their days, the rows read and the rejected
 * rows.
 */
export class RowReader {
  badCount = 0;
  /** the first BAD_ROWS_KEPT rejected rows */
  readonly badRows: BadRow[] = [];
  private readonly states = new Map<string, SymbolState>();
  private readonly fixedState: SymbolState | null;

  constructor(
    private readonly file: PriceFileReader,
    private readonly options: RowReaderOptions,
  ) {
    const { fixedSymbol } = options;
    this.fixedState = fixedSymbol === undefined ? null : this.stateOf(fixedSymbol);
  }

  /** data rows read so far, good or bad */
  get rowsRead(): number {
    return this.file.rowsRead;
  }

  /** every symbol met, valid or not yet written */
  get symbols(): SymbolState[] {
    return [...this.states.values()];
  }

  /** Reads to the end of the input; the hot loop of an import. */
  async readAll(sink: RowSink): Promise<void> {
    const { fixedSymbol, strict, onProgress } = this.options;
    // Files are mostly grouped by symbol: the last symbol cell seen is validated once, not per row.
    let lastCell: string | null = null;
    let lastState: SymbolState | null = null;
    await this.file.readRows(
      {
        bad: (line, reason) => this.reject(line, reason),
        row: (fields, line) => {
          const cell = fields.symbolCell;
          let state: SymbolState;
          if (cell === null) {
            state = this.fixedState as SymbolState; // no symbol column: --symbol is required
          } else if (cell === lastCell && lastState !== null) {
            state = lastState;
          } else {
            const symbol = cell.toUpperCase();
            if (!isValidSymbol(symbol)) {
              this.reject(line, `invalid symbol "${symbol}"`);
              return undefined;
            }
            if (fixedSymbol !== undefined && symbol !== fixedSymbol) {
              this.reject(line, `symbol ${symbol} does not match --symbol ${fixedSymbol}`);
              return undefined;
            }
            state = this.stateOf(symbol);
            lastCell = cell;
            lastState = state;
          }
          if (!state.days.add(fields.dayNumber)) {
            this.reject(line, `duplicate day ${fields.day} for ${state.symbol} in this file`);
            return undefined;
          }
          // After the first bad row of a strict import nothing more is written; reading goes on
          // only to list further bad rows.
          if (strict && this.badCount > 0) return undefined;
          return sink.add(state, fields);
        },
      },
      onProgress,
    );
  }

  /**
   * States of the valid symbols without a decision (see SymbolState.stored) in the next
   * LOOKAHEAD_LINES lines, reading ahead as needed: the writer looks them all up at once.
   */
  async upcomingSymbols(): Promise<SymbolState[]> {
    const column = this.file.format.columns.symbol;
    if (column === null) return [];
    const { delimiter } = this.file.format;
    const { fixedSymbol } = this.options;
    const found = new Set<SymbolState>();
    let lastCell: string | null = null;
    await this.file.peek(LOOKAHEAD_LINES, (line) => {
      const cell = cellAt(line, delimiter, column);
      if (cell === null || cell === lastCell) return;
      lastCell = cell;
      const symbol = cell.toUpperCase();
      if (!isValidSymbol(symbol) || (fixedSymbol !== undefined && symbol !== fixedSymbol)) return;
      const state = this.stateOf(symbol);
      if (state.stored === null) found.add(state);
    });
    return [...found];
  }

  private stateOf(symbol: string): SymbolState {
    let state = this.states.get(symbol);
    if (!state) {
      state = { symbol, days: new DaySet(), stored: null };
      this.states.set(symbol, state);
    }
    return state;
  }

  private reject(line: number, reason: string) {
    this.badCount++;
    if (this.badRows.length < BAD_ROWS_KEPT) this.badRows.push({ line, reason });
  }
}
