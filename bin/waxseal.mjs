#!/usr/bin/env node
// The command-line tool is bundled by `npm run build` (scripts/build.mjs) into cli/waxseal.mjs.
await import('../cli/waxseal.mjs').catch((e) => { if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('waxseal.mjs')) throw e; console.error('waxseal: the CLI is not built yet: run npm run build first'); process.exit(1); });
