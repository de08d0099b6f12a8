// @qc/matching: pure person-pair comparison and Fellegi–Sunter scoring; no database.
export * from './person-comparison';
export * from './match-weights';
export * from './em-estimation';
