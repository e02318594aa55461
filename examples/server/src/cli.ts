import { CliError, createProgram } from './cli-program';
import { ConfigError } from './config';

// The `dataportal` executable. Known failures print one line; anything else prints the stack.
createProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    if (err instanceof CliError || err instanceof ConfigError) {
      process.stderr.write(`dataportal: ${err.message}\n`);
    } else {
      process.stderr.write(
        `dataportal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
    }
    process.exitCode = 1;
  });
