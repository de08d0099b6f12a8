import { openSource } from '@qc/readers';
(async () => {
  for (const f of process.argv.slice(2)) {
    const src = await openSource(f, {} as any);
    const seen = new Map<string, number>();
    for await (const row of (src as any).rows()) {
      const n = (seen.get(row.sheet ?? '') ?? 0) + 1; seen.set(row.sheet ?? '', n);
      if (n <= 7) console.log(row.sheet, row.ref, JSON.stringify(row.cells));
    }
  }
})();
