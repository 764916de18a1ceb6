import type { Linter } from 'eslint';

/** See eslint.layers.js. */
export function dashboardLayers(srcDir: string, configDir: string): Linter.Config[];
