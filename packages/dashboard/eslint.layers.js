// The dashboard's layers, as lint rules (imported by the root eslint.config.js and by scripts/lint-layers.test.ts,
// which proves on fixtures that each rule fires). Imports point one way:
//
//   shell → features → app → components → api → lib
//
// - shell/: layout, navbar, routes, the app-wide drawer host, providers and main.tsx; may import anything.
// - features/<name>/: pages; never another feature, never the shell.
// - app/: state (store, slices, typed hooks, persistence); never the shell or a feature.
// - components/: shared UI; never app state, the shell or a feature.
// - api/: the RTK Query API; never app state, UI or a feature (the base query declares the state it reads).
// - lib/: pure helpers; import no other layer.
// Any import cycle is an error too (type-only imports are exempt: they vanish at runtime).
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

/** The feature folders that exist under `srcDir/features`, read at config time so a new feature is covered. */
function featureNames(srcDir) {
  try {
    return readdirSync(join(srcDir, 'features'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

function layerZones(srcDir) {
  const features = featureNames(srcDir).map((name) => ({
    target: `./features/${name}`,
    from: './features',
    except: [`./${name}`],
    message: 'A feature never imports another feature; move what both need to components/ or lib/.',
  }));
  return [
    ...features,
    {
      target: './features',
      from: './shell',
      message: 'Features sit below the shell; the shell decides where a feature is shown.',
    },
    {
      target: './app',
      from: ['./shell', './features'],
      message: 'app/ holds state only; it never imports the shell or a feature.',
    },
    {
      target: './components',
      from: ['./app', './shell', './features'],
      message: 'Shared components take what they need as props; they never read app state or import a feature.',
    },
    {
      target: './api',
      from: ['./app', './shell', './features', './components'],
      message: 'The API layer never imports app state, UI or a feature; pass what it needs in.',
    },
    {
      target: './lib',
      from: ['./app', './shell', './features', './components', './api'],
      message: 'lib/ holds pure helpers that import no other layer.',
    },
  ];
}

/**
 * Flat-config entries enforcing the layers on the TypeScript files under `srcDir`; both paths are absolute, and
 * `configDir` is where the config's file patterns are relative to (the directory of eslint.config.js).
 */
export function dashboardLayers(srcDir, configDir) {
  return [
    {
      files: [`${relative(configDir, srcDir)}/**/*.{ts,tsx}`],
      plugins: { 'import-x': importX },
      settings: {
        'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] })],
        'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
        'import-x/extensions': ['.ts', '.tsx', '.js'],
      },
      rules: {
        'import-x/no-cycle': ['error', { ignoreExternal: true }],
        'import-x/no-restricted-paths': ['error', { basePath: srcDir, zones: layerZones(srcDir) }],
      },
    },
  ];
}
