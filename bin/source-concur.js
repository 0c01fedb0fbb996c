#!/usr/bin/env -S node --max-semi-space-size=4
import { main } from '../dist/source-concur.mjs';
process.exitCode = await main(process.argv.slice(2));
