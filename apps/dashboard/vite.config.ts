import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';

// In development the API runs separately; the proxy keeps the dashboard same-origin so the httpOnly
// session cookie works exactly as in production (where the server serves the built files).
const api = process.env.ETHCAST_API_URL ?? 'http://127.0.0.1:3000';

// The browser's Host header goes through unchanged (Vite's string shorthand would rewrite it to the
// API's address): the API refuses a cookie-signed change whose Origin is not the Host the browser asked
// for (packages/server/src/http-guards.ts), so with a rewritten Host every change made in the dashboard
// looked cross-site. Kept as is, the check works here as behind any reverse proxy that keeps Host, and
// a page of another site (another port included) is still refused.
const toApi: ProxyOptions = { target: api, changeOrigin: false };

export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: { '/trpc': toApi, '/health': toApi },
  },
  build: { outDir: 'dist', sourcemap: false },
});
