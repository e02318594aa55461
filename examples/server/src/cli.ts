import { createProgram, formatCliError } from './cli-program';

// The `dataportal` executable (bin/dataportal.mjs starts it on Node >= 22.13). A failure prints
// one line with the cause and a hint; `--verbose` adds the stacks.
createProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    process.stderr.write(formatCliError(err, process.argv.includes('--verbose')));
    process.exitCode = 1;
  });
