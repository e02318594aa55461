export {};

// Runs every sdk benchmark in sequence (npm run bench -w @dataportal/sdk). Each prints one
// summary line with its ratio against the bare reference run in the same process.
for (const file of (process.env['BENCH_ONLY'] ?? 'storage,metadata-sync,lineage-history').split(
  ',',
)) {
  const path = `./${file}.bench.ts`;
  try {
    await import(path);
  } catch (err) {
    if (
      (err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' &&
      String(err).includes(path.slice(2))
    ) {
      continue;
    }
    throw err;
  }
}
