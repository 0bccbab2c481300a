/**
 * Routes the console uses as soon as the server offers them. They are read from the server's own
 * OpenAPI document at run time, so a page switches on when the route lands, before the checked-in
 * client is regenerated; until then the page says what is not available yet.
 */
export interface ApiFeatures {
  /** POST /plans/import?dryRun=true: the parse and what would be created, changing nothing. */
  importDryRun: boolean;
  /** POST /auth/logout: the server forgets the token. */
  logout: boolean;
  /** GET /auth/tokens: the caller's API tokens. */
  tokenList: boolean;
  /** Deactivating an account. */
  userDeactivate: boolean;
  /** Resetting an account's password. */
  passwordReset: boolean;
  /** GET /notifications/ledger: delivery records with retry. */
  ledger: boolean;
  /** /review-cycles. */
  reviewCycles: boolean;
  /** GET /outbox: the mail of an embedded installation. */
  outbox: boolean;
  /** POST /reminder-policy/preview. */
  policyPreview: boolean;
}

export interface OpenApiDocument {
  paths?: Record<string, Record<string, { parameters?: { name?: string; in?: string }[] }>>;
}

export function featuresOf(doc: OpenApiDocument): ApiFeatures {
  const paths = doc.paths ?? {};
  const has = (path: string, method?: string) =>
    method ? Boolean(paths[`/api/v1${path}`]?.[method]) : Boolean(paths[`/api/v1${path}`]);
  const some = (pattern: RegExp) => Object.keys(paths).some((p) => pattern.test(p));
  const importParams = paths['/api/v1/plans/import']?.post?.parameters ?? [];
  return {
    importDryRun: importParams.some((p) => p.name === 'dryRun' && p.in === 'query'),
    logout: has('/auth/logout', 'post'),
    tokenList: has('/auth/tokens', 'get'),
    userDeactivate: some(/^\/api\/v1\/users\/\{[^}]+\}\/(deactivate|active|status)$/),
    passwordReset: some(/^\/api\/v1\/users\/\{[^}]+\}\/(password|reset-password|password-reset)$/),
    ledger: has('/notifications/ledger', 'get'),
    reviewCycles: has('/review-cycles'),
    outbox: has('/outbox', 'get'),
    policyPreview: has('/reminder-policy/preview', 'post'),
  };
}
