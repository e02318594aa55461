import { readFileSync, writeFileSync } from 'node:fs';
import { API_TYPES_PATH, generateApiTypes } from './api-types';

// `npm run gen:api -w examples/web`: rewrite src/api/schema.d.ts from the server's document.
// With --check, only report whether the file is current (exit 1 when stale).
const text = await generateApiTypes();
const current = (() => {
  try {
    return readFileSync(API_TYPES_PATH, 'utf8');
  } catch {
    return '';
  }
})();
if (process.argv.includes('--check')) {
  if (current !== text) {
    process.stderr.write(
      `${API_TYPES_PATH} is stale: run \`npm run gen:api -w examples/web\` and commit it\n`,
    );
    process.exit(1);
  }
  process.stdout.write('API types are current\n');
} else {
  writeFileSync(API_TYPES_PATH, text);
  process.stdout.write(`wrote ${API_TYPES_PATH}\n`);
}
