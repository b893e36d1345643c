import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { trpc } from '../api.ts';

export const PREFERRED_SYMBOL = 'ETH-USD';

/** The stored symbols and the one chosen: ETH-USD (or the first stored symbol) once the list arrives. */
export function useSymbolChoice() {
  const symbols = useQuery(trpc.prices.symbols.queryOptions());
  const [symbol, setSymbol] = useState('');
  useEffect(() => {
    const list = symbols.data ?? [];
    if (symbol || list.length === 0) return;
    setSymbol(list.find((s) => s.symbol === PREFERRED_SYMBOL)?.symbol ?? list[0]?.symbol ?? '');
  }, [symbols.data, symbol]);
  return { symbols, symbol, setSymbol };
}
