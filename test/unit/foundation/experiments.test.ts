// Thunderbird loads all experiment scripts of one extension into a single shared sandbox: a top-level
// `const`, `let`, `function` or `class` in two scripts is a redeclaration, and the script loaded second
// fails as a whole ("An unexpected error occurred"). Each script keeps its names inside a function and
// only assigns its API class to globalThis.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'manifest.json'), 'utf8'));
const experiments = Object.entries(manifest.experiment_apis ?? {}) as [string, { parent: { script: string; paths: string[][] } }][];

describe('experiment scripts', () => {
  it('the manifest declares the experiments', () => {
    expect(experiments.map(([name]) => name).sort()).toEqual(['composeCrypto', 'messageSecurity', 'waxsealLdap']);
  });

  for (const [name, api] of experiments) {
    const source = fs.readFileSync(path.join(root, 'src', api.parent.script), 'utf8');

    it(`${name}: declares nothing at the top level of the shared sandbox`, () => {
      const topLevel = source.split('\n').filter((line) => /^(const|let|var|function|class|async function)\b/.test(line));
      expect(topLevel).toEqual([]);
    });

    it(`${name}: assigns its API class to the name the manifest gives`, () => {
      expect(source).toContain(`globalThis.${api.parent.paths[0]![0]} = class extends ExtensionCommon.ExtensionAPI`);
    });
  }
});
