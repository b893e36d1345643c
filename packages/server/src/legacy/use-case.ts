import type { z } from 'zod';
import { listProcedures } from '../openapi/procedures.ts';
import type { Services } from '../services.ts';
import type { Viewer } from '../usecases/viewer.ts';
import type { RouteInput } from './route.ts';

let schemas: Map<string, z.ZodType | undefined> | null = null;

/** The input schema of a procedure: a legacy route's input is checked by the very schema tRPC checks. */
function inputSchemaOf(procedure: string): z.ZodType | undefined {
  schemas ??= new Map(listProcedures().map((p) => [p.path, p.input]));
  if (!schemas.has(procedure)) throw new Error(`no procedure ${procedure}`);
  return schemas.get(procedure);
}

/**
 * Runs a use case for a legacy route: the input is parsed by the schema of the procedure that offers
 * the same use case on /trpc (a refusal is a ZodError, answered 422 like the procedure's), then the use
 * case acts for the route's viewer. The route itself only maps the legacy shapes.
 */
export function perform<I, O>(
  route: Pick<RouteInput, 'services' | 'viewer'>,
  procedure: string,
  useCase: (services: Services, viewer: Viewer, input: I) => Promise<O>,
  raw: unknown,
): Promise<O> {
  const schema = inputSchemaOf(procedure);
  // the procedure's own schema produced exactly the type its use case takes
  const input = (schema ? schema.parse(raw) : raw) as I;
  return useCase(route.services, route.viewer, input);
}
