#!/usr/bin/env node
// Runs the compiled CLI (npm run build first, or use `npm run duban -- <command>`).
import '../dist/src/cli/main.js';
