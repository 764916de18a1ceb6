// @vitest-environment node
/**
 * Proves that the layer rules (eslint.layers.js) fire: lints fixture files whose paths mirror src/ with the very
 * rules the repository's lint run uses, and expects each deliberate violation to be reported at its import.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { dashboardLayers } from '../eslint.layers.js';

const fixtures = fileURLToPath(new URL('./lint-fixtures/', import.meta.url));

type Reports = Map<string, { ruleId: string | null; line: number }[]>;
let reports: Reports;

beforeAll(async () => {
  const eslint = new ESLint({
    cwd: fixtures,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
      ...dashboardLayers(join(fixtures, 'src'), fixtures),
    ],
  });
  const results = await eslint.lintFiles(['src/**/*.ts']);
  reports = new Map(
    results.map((result) => [
      result.filePath.slice(fixtures.length).replaceAll('\\', '/'),
      result.messages.map(({ ruleId, line }) => ({ ruleId, line })),
    ]),
  );
});

const rulesAt = (file: string) => (reports.get(file) ?? []).map((m) => `${m.ruleId}@${m.line}`);

describe('dashboard layer rules', () => {
  it('reports a feature importing another feature', () => {
    expect(rulesAt('src/features/alpha/AlphaPage.ts')).toEqual(['import-x/no-restricted-paths@2']);
  });

  it('reports components/ and api/ importing app state', () => {
    expect(rulesAt('src/components/Banner.ts')).toEqual(['import-x/no-restricted-paths@2']);
    expect(rulesAt('src/api/endpoint.ts')).toEqual(['import-x/no-restricted-paths@2']);
  });

  it('reports an import cycle from both sides', () => {
    expect(rulesAt('src/lib/cycleA.ts')).toEqual(['import-x/no-cycle@2']);
    expect(rulesAt('src/lib/cycleB.ts')).toEqual(['import-x/no-cycle@1']);
  });

  it('accepts imports that follow the layers', () => {
    expect(rulesAt('src/features/beta/betaTitle.ts')).toEqual([]);
    expect(rulesAt('src/app/appState.ts')).toEqual([]);
    expect(rulesAt('src/lib/shout.ts')).toEqual([]);
  });
});
