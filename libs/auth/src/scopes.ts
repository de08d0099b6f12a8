import { SetMetadata } from '@nestjs/common';
import { Scope, SCOPES } from '@qc/database';

export const REQUIRED_SCOPES = Symbol('REQUIRED_SCOPES');
export const PUBLIC_ROUTE = Symbol('PUBLIC_ROUTE');

/** The scopes a route needs; 'admin' satisfies any of them, and a scope satisfies those it implies. */
export const RequireScopes = (...scopes: Scope[]) => SetMetadata(REQUIRED_SCOPES, scopes);

/** Health and docs only: every other route needs a key. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Scopes that include others: an importer may watch what it imports. */
const IMPLIED: Partial<Record<Scope, readonly Scope[]>> = { 'imports:write': ['imports:read'] };

/** Every scope a key's scopes grant: admin grants all, and each scope the scopes it implies. */
export function grantedScopes(scopes: readonly Scope[]): Scope[] {
  if (scopes.includes('admin')) return [...SCOPES];
  return SCOPES.filter((s) => scopes.includes(s) || scopes.some((held) => IMPLIED[held]?.includes(s)));
}

/** Whether the scopes grant this one. */
export function grants(scopes: readonly Scope[], scope: Scope): boolean {
  return grantedScopes(scopes).includes(scope);
}

/** Whether a key may see ID numbers and phones in clear. */
export function mayReadPii(scopes: readonly Scope[]): boolean {
  return grants(scopes, 'registry:read-pii');
}
