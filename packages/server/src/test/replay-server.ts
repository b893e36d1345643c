import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReplayResponse =
  | { status: number; body: unknown; headers?: Record<string, string> }
  /** the connection is dropped without a response */
  | { network: 'reset' }
  /** never answered: the request hangs until the client goes away or the server closes */
  | { hold: true };

/**
 * A local HTTP server that answers requests with a recorded sequence of responses, in order, and keeps
 * the URLs it was asked for. Requests beyond the recording get a 500 naming the surplus request.
 */
export async function startReplayServer(responses: ReplayResponse[]) {
  const requests: URL[] = [];
  let next = 0;
  const server = createServer((req, res) => {
    requests.push(new URL(req.url ?? '/', 'http://replay'));
    const response = responses[next++];
    if (!response) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `no recorded response for request ${next}: ${req.url}` }));
      return;
    }
    if ('network' in response) {
      req.socket.destroy();
      return;
    }
    if ('hold' in response) return;
    res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers });
    res.end(JSON.stringify(response.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** how many recorded responses are still unplayed */
    remaining: () => responses.length - next,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
