import { SetMetadata } from '@nestjs/common';
import { Scope } from '@qc/database';

export const REQUIRED_SCOPES = Symbol('REQUIRED_SCOPES');
export const PUBLIC_ROUTE = Symbol('PUBLIC_ROUTE');

/** The scopes a route needs; 'admin' satisfies any of them. */
export const RequireScopes = (...scopes: Scope[]) => SetMetadata(REQUIRED_SCOPES, scopes);

/** Health and docs only: every other route needs a key. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Whether a key may see ID numbers and phones in clear. */
export function mayReadPii(scopes: readonly Scope[]): boolean {
  return scopes.includes('registry:read-pii') || scopes.includes('admin');
}
