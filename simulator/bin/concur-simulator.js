#!/usr/bin/env node
// Offline SAP Concur API simulator. See simulator/README.md.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
