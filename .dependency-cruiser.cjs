// The layer rules of docs/architecture.md, checked by `pnpm check:deps` (and so by `pnpm lint` and CI).
// Paths are repository-relative; workspace imports (`@ethcast/days`) resolve through node_modules to
// the package's src/, so a rule about `^packages/days/` covers both spellings.

/** Tests, test helpers, benchmarks and experiments: exempt from the layer rules, not from the cycle rule. */
const notProduct =
  '(\\.test\\.tsx?$|/test/|/test-support/|/e2e/|/bench/|/experiments/|/examples/|\\.config\\.ts$)';

const server = '^packages/server/src/';
/** The faces: what speaks HTTP or tRPC to the outside. */
const faces = [
  `${server}routers/`,
  `${server}legacy/`,
  `${server}openapi/`,
  `${server}http[^/]*\\.ts$`,
  `${server}prices/import-route\\.ts$`,
  `${server}metrics/route\\.ts$`,
  `${server}(router|trpc|context|server|main|rest)\\.ts$`,
  // the callers without HTTP: what a process does at its start, and the scheduled jobs' bodies
  `${server}startup/`,
  `${server}jobs/([^/]+-job|registry)\\.ts$`,
];
/** The services: the work the faces ask for. */
const services = [`${server}auth/`, `${server}forecasts/`, `${server}prices/`, `${server}jobs/`];
/** Files under the services' folders that are faces. */
const facesAmongServices = [`${server}prices/import-route\\.ts$`, `${server}jobs/([^/]+-job|registry)\\.ts$`];
/** Frameworks of the faces: no use case or service imports them. */
const faceFrameworks = ['node_modules/@trpc/server/', 'node_modules/fastify/', 'node_modules/@fastify/'];

/** A rule: the files `from` matches import, of the workspace, only the paths `allowed` matches. */
const importsOnly = (name, comment, from, allowed) => ({
  name,
  comment,
  severity: 'error',
  from,
  to: { path: '^(packages|apps)/', pathNot: allowed },
});

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No import cycles anywhere in the workspace (type-only imports count).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^(bun:|virtual:)' },
    },

    // Packages (docs/architecture.md, "Packages").
    importsOnly(
      'days-imports-no-package',
      '@ethcast/days imports no other workspace package.',
      { path: '^packages/days/' },
      '^packages/days/',
    ),
    importsOnly(
      'price-file-imports-days-only',
      '@ethcast/price-file reads price files; of the workspace it imports only @ethcast/days.',
      { path: '^packages/price-file/' },
      '^packages/(price-file|days)/',
    ),
    importsOnly(
      'forecast-imports-days-and-price-file',
      '@ethcast/forecast knows no database, HTTP or users: of the workspace only days and price-file.',
      { path: '^packages/forecast/' },
      '^packages/(forecast|days|price-file)/',
    ),
    {
      name: 'forecast-no-database-or-http',
      severity: 'error',
      from: { path: '^packages/forecast/', pathNot: notProduct },
      to: {
        path: 'node_modules/(drizzle-orm|postgres|@electric-sql/pglite|fastify|@fastify/|@trpc/)',
      },
    },
    importsOnly(
      'server-imports-days-forecast-price-file',
      '@ethcast/server builds on days, forecast and price-file; never on the client or the apps.',
      { path: '^packages/server/', pathNot: notProduct },
      '^packages/(server|days|forecast|price-file)/',
    ),
    {
      name: 'client-imports-server-types-only',
      comment: '@ethcast/client imports the server for its types only (`import type { AppRouter }`).',
      severity: 'error',
      from: { path: '^packages/client/', pathNot: notProduct },
      to: { path: '^packages/server/', dependencyTypesNot: ['type-only'] },
    },
    importsOnly(
      'client-imports-days-and-server-types',
      '@ethcast/client imports days and the server (the server for its types only, see above).',
      { path: '^packages/client/', pathNot: notProduct },
      '^packages/(client|days|server)/',
    ),
    {
      name: 'dashboard-imports-client-days-errors',
      comment:
        'The dashboard imports client, days, the error catalogues (`@ethcast/server/errors`) and the template filler (`@ethcast/server/template`), all in domain/; the rest of the server only for types.',
      severity: 'error',
      from: { path: '^apps/dashboard/', pathNot: notProduct },
      to: {
        path: '^(packages|apps)/',
        pathNot: '^(apps/dashboard/|packages/(client|days)/|packages/server/src/domain/)',
        dependencyTypesNot: ['type-only'],
      },
    },
    importsOnly(
      'scripts-import-client-server-forecast',
      'The CLI: client, server (the commands that open the database), forecast, days, price-file.',
      { path: '^apps/scripts/', pathNot: notProduct },
      '^(apps/scripts/|packages/)',
    ),
    {
      name: 'packages-import-no-app',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^apps/' },
    },

    // Layers of the server (docs/architecture.md, "Layers of the server").
    {
      name: 'domain-imports-no-layer',
      comment: 'domain/ (catalogue, policies, wording) imports no other layer of the server.',
      severity: 'error',
      from: { path: `${server}domain/`, pathNot: notProduct },
      to: { path: server, pathNot: `${server}domain/` },
    },
    {
      name: 'db-imports-domain-only',
      comment:
        'db/ imports only domain/ (and @ethcast/days), the configuration (env.ts) and the two leaf helpers errors.ts and paths.ts: no service, context, router or face.',
      severity: 'error',
      from: { path: `${server}db/`, pathNot: notProduct },
      to: { path: server, pathNot: [`${server}(db|domain)/`, `${server}(env|errors|paths)\\.ts$`] },
    },
    {
      name: 'leaf-helpers-import-no-layer',
      comment:
        'errors.ts (error summaries) and paths.ts (repository paths) sit beside domain/: they import no layer.',
      severity: 'error',
      from: { path: `${server}(errors|paths)\\.ts$` },
      to: { path: server, pathNot: `${server}(domain/|(errors|paths)\\.ts$)` },
    },
    {
      name: 'usecases-import-services-db-domain',
      comment:
        'A use case may import db/, domain/, the services (auth, forecasts, prices, jobs), services.ts, env.ts (ServerConfig) and errors.ts (database error codes); never a face.',
      severity: 'error',
      from: { path: `${server}usecases/`, pathNot: notProduct },
      to: {
        path: server,
        pathNot: [
          `${server}(usecases|db|domain|auth|forecasts|prices|jobs)/`,
          `${server}(services|env|errors)\\.ts$`,
        ],
      },
    },
    {
      name: 'usecases-and-services-import-no-face',
      comment: 'Faces import use cases and services, never the other way round.',
      severity: 'error',
      from: {
        path: [`${server}usecases/`, ...services],
        pathNot: [notProduct, ...facesAmongServices],
      },
      to: { path: faces },
    },
    {
      name: 'usecases-and-services-import-no-face-framework',
      comment: 'No use case or service imports @trpc/server or Fastify: those belong to the faces.',
      severity: 'error',
      from: {
        path: [`${server}usecases/`, ...services],
        pathNot: [notProduct, `${server}prices/import-route\\.ts$`],
      },
      to: { path: faceFrameworks },
    },
    {
      name: 'audit-log-written-by-use-cases-only',
      comment:
        'The audit log (db/queries/logs.ts: writeLog, logInsert and the reads of logs) is reached through the use cases only, so every state change writes its one row there.',
      severity: 'error',
      from: { path: server, pathNot: [notProduct, `${server}usecases/`, `${server}db/queries/logs\\.ts$`] },
      to: { path: `${server}db/queries/logs\\.ts$` },
    },
    {
      name: 'services-import-no-usecase',
      comment: 'Use cases sit above the services: a service does not call a use case.',
      severity: 'error',
      from: { path: services, pathNot: [notProduct, ...facesAmongServices] },
      to: { path: `${server}usecases/` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^(packages|apps)/[^/]+/(dist|coverage|\\.data)/', '^(\\.tmp|\\.data)/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
