import type { Context } from '../context.ts';
import type { Services } from '../services.ts';
import type { Viewer } from '../usecases/viewer.ts';

/**
 * A procedure's resolver that answers with a use case, called as every face calls one: the services, who
 * is asking, the procedure's (parsed) input. `.query(useCase(getMe))` is
 * `.query(({ ctx, input }) => getMe(ctx, ctx.viewer, input))`.
 */
export const useCase =
  <I, O>(run: (services: Services, viewer: Viewer, input: I) => O) =>
  ({ ctx, input }: { ctx: Context; input: I }) =>
    run(ctx, ctx.viewer, input);
