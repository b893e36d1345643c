import superjson from 'superjson';

export type RawResponse = { status: number; text: string; headers: Headers };

/** A raw tRPC POST (mutation) with a superjson body, so a test sees the real HTTP status and headers. */
export async function postProcedure(
  baseUrl: string,
  path: string,
  input: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const response = await fetch(`${baseUrl}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(superjson.serialize(input)),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** A raw tRPC GET (query). */
export async function getProcedure(
  baseUrl: string,
  path: string,
  input: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const query =
    input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
  const response = await fetch(`${baseUrl}/trpc/${path}${query}`, { headers });
  return { status: response.status, text: await response.text(), headers: response.headers };
}
