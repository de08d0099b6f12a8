import { grantedScopes, grants, mayReadPii } from './scopes';

describe('scopes a key grants', () => {
  it('grants what it holds, imports:read with imports:write, and everything with admin', () => {
    expect(grantedScopes(['registry:read'])).toEqual(['registry:read']);
    expect(grantedScopes(['imports:write'])).toEqual(['imports:read', 'imports:write']);
    expect(grantedScopes(['admin'])).toEqual(['registry:read', 'registry:read-pii', 'imports:read', 'imports:write', 'review:write', 'admin']);
  });

  it('never grants upward: imports:read is not imports:write, registry:read is not registry:read-pii', () => {
    expect(grants(['imports:read'], 'imports:write')).toBe(false);
    expect(grants(['registry:read'], 'registry:read-pii')).toBe(false);
    expect(mayReadPii(['registry:read', 'imports:write'])).toBe(false);
    expect(mayReadPii(['registry:read-pii'])).toBe(true);
    expect(mayReadPii(['admin'])).toBe(true);
  });
});
