/** BASE-QUOTE, as exchanges and Yahoo write it: ETH-USD, BTC-USD, 1INCH-USDT (the prices table checks it too). */
export const SYMBOL_PATTERN = /^[A-Z0-9]{2,10}-[A-Z]{2,10}$/;

export const isValidSymbol = (symbol: string) => SYMBOL_PATTERN.test(symbol);
