#!/usr/bin/env node
// Build step: copy lnd's protos from the repository's protos/ (the one
// hand-maintained copy) into this package's protos/, which the node loads at
// run time and which ships with the package. Outside the repository (an
// unpacked package) the copy is already there and is kept.
import { cpSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = new URL('../../../protos/', import.meta.url);
const to = new URL('../protos/', import.meta.url);

if (existsSync(from)) cpSync(from, to, { recursive: true, preserveTimestamps: true });
else if (!existsSync(to)) {
  process.stderr.write(
    `lnd-sim build: lnd's protos are missing: neither ${fileURLToPath(from)} nor ${fileURLToPath(to)} exists\n`,
  );
  process.exit(1);
}
