import { databaseAddress, withRequirements } from './runtime';

describe('withRequirements', () => {
  it('adds what a feature cannot be built without, each once', () => {
    expect([...withRequirements(['keys'])]).toEqual(['keys']);
    expect([...withRequirements(['imports'])]).toEqual(['imports', 'jobs']);
    expect([...withRequirements(['inboxes', 'imports'])].sort()).toEqual(['imports', 'inboxes', 'jobs']);
    expect([...withRequirements([])]).toEqual([]);
  });
});

describe('databaseAddress', () => {
  it('names host and port, never the password', () => {
    expect(databaseAddress('postgres://u:secret@db.example:6543/qc')).toBe('db.example:6543');
    expect(databaseAddress('postgres://u:secret@db.example/qc')).toBe('db.example:5432');
  });
});
