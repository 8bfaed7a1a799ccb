#!/usr/bin/env node
// SIGINT/SIGTERM are handled from here on, before the CLI's modules load, so a
// signal while they load is not lost (tail and demo then end with exit 0); the
// command takes the handlers over (dist/cli/dispatch.js).
import { StopSignals } from '../dist/runtime/stop-signals.js';

const signals = new StopSignals();
const { main } = await import('../dist/cli/main.js');
await main(process.argv, signals);
