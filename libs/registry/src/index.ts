// @qc/registry: writes canonical entities (find or create, survivorship, lineage, change feed) for merges.
export * from './origin';
export * from './survivorship';
export * from './place-directory';
export * from './organization-directory';
export * from './company-directory';
export * from './person-directory';
export * from './membership-desk';
export * from './role-desk';
export * from './review-desk';
export * from './merge-session';
export * from './registry.module';
