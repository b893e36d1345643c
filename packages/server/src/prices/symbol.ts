import { isDay } from '@ethcast/days';
import { z } from 'zod';
import { withCode } from '../domain/input-errors.ts';
import { isValidSymbol } from '../domain/symbol.ts';

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
  .refine(isDay, withCode('NOT_A_CALENDAR_DAY'));
