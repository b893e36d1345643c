// What clients may import at run time (`@ethcast/server/errors`): the reason and field-code catalogues
// and their types. Pure data, no Node or tRPC imports, so a browser bundle or a CLI can use it.
export { type ErrorKind, type ErrorParams, type Reason, reasons, renderTemplate } from './errors.ts';
export { type FieldCode, type FieldIssue, type FieldIssues, fieldCodes } from './input-errors.ts';
