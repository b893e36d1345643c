import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

function App() {
  const [status, setStatus] = useState('checking…');
  useEffect(() => {
    fetch('/health')
      .then((r) => r.json() as Promise<{ status: string }>)
      .then((h) => setStatus(h.status))
      .catch(() => setStatus('unreachable'));
  }, []);
  return (
    <main>
      <h1>Ethcast</h1>
      <p>API status: {status}</p>
    </main>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
