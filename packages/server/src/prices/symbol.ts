import { z } from 'zod';
import { withCode } from '../domain/input-errors.ts';
import { isValidDay } from './day.ts';

/** BASE-QUOTE, as exchanges and Yahoo write it: ETH-USD, BTC-USD, 1INCH-USDT. */
export const SYMBOL_PATTERN = /^[A-Z0-9]{2,10}-[A-Z]{2,10}$/;

export const isValidSymbol = (symbol: string) => SYMBOL_PATTERN.test(symbol);

export const symbolSchema = z
  .string({ message: 'symbol is required' })
  .trim()
  .toUpperCase()
  .refine(isValidSymbol, {
    ...withCode('SYMBOL_FORMAT'),
    message: 'symbol must look like ETH-USD (BASE-QUOTE, upper-case letters)',
  });

export const daySchema = z
  .string({ message: 'must be a day like 2024-01-31' })
  .refine((day) => /^\d{4}-\d{2}-\d{2}$/.test(day), { ...withCode('DAY_FORMAT'), abort: true })
  .refine(isValidDay, withCode('NOT_A_CALENDAR_DAY'));
