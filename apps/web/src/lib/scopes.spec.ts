import { may } from './scopes';

describe('may', () => {
  it('lets admin do anything and an importer read imports, and nothing more', () => {
    expect(may(['admin'], 'review:write')).toBe(true);
    expect(may(['imports:write'], 'imports:read')).toBe(true);
    expect(may(['imports:read'], 'imports:write')).toBe(false);
    expect(may(['registry:read'], 'admin')).toBe(false);
    expect(may(['registry:read', 'review:write'], 'review:write')).toBe(true);
  });
});
