import { existsSync } from 'node:fs';

/** Debian's Chromium unless CHROMIUM_PATH says otherwise; tests that need it skip, saying so, without it. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

/** Headless, and quiet on a machine without internet: no background traffic, update checks or sync. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
