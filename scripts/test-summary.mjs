// Prints the test counts per store dialect from vitest's JSON report, and the plain closing
// line "N passed, N failed" that CI tooling reads.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const count = { mysql: { passed: 0, failed: 0 }, sqlite: { passed: 0, failed: 0 } };
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of report.testResults) {
  for (const t of file.assertionResults) {
    const name = [...t.ancestorTitles, t.title].join(' ').toLowerCase();
    const dialect = /\bmysql\b|mariadb/.test(name)
      ? 'mysql'
      : /\bsqlite\b/.test(name)
        ? 'sqlite'
        : null;
    if (t.status === 'passed') {
      passed++;
      if (dialect) count[dialect].passed++;
    } else if (t.status === 'failed') {
      failed++;
      if (dialect) count[dialect].failed++;
    } else skipped++;
  }
}
console.log(
  `store suites: MySQL/MariaDB ${count.mysql.passed} passed, ${count.mysql.failed} failed; SQLite ${count.sqlite.passed} passed, ${count.sqlite.failed} failed`,
);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
