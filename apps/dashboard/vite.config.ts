import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the API runs separately; the proxy keeps the dashboard same-origin so the httpOnly
// session cookie works exactly as in production (where the server serves the built files).
const api = process.env.ETHCAST_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: { '/trpc': api, '/health': api },
  },
  build: { outDir: 'dist', sourcemap: false },
});
