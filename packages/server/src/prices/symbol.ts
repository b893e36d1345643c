import { z } from 'zod';
import { isValidDay } from './day.ts';

/** BASE-QUOTE, as exchanges and Yahoo write it: ETH-USD, BTC-USD, 1INCH-USDT. */
export const SYMBOL_PATTERN = /^[A-Z0-9]{2,10}-[A-Z]{2,10}$/;

export const isValidSymbol = (symbol: string) => SYMBOL_PATTERN.test(symbol);

export const symbolSchema = z
  .string({ message: 'symbol is required' })
  .trim()
  .toUpperCase()
  .regex(SYMBOL_PATTERN, { message: 'symbol must look like ETH-USD (BASE-QUOTE, upper-case letters)' });

export const daySchema = z
  .string({ message: 'must be a day like 2024-01-31' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a day like 2024-01-31' })
  .refine(isValidDay, { message: 'is not a real calendar day' });
