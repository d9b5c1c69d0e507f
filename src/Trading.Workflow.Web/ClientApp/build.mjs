// Bundles the procedure designer into ../wwwroot/dist. Run by the Web project's build (see the .csproj).
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(here, '../wwwroot/dist');

await esbuild.build({
  entryPoints: {
    designer: path.join(here, 'src/designer.js'),
    'designer-styles': path.join(here, 'src/designer.css'),
    // The read-only diagram of the task page and the instance viewer.
    viewer: path.join(here, 'src/viewer.js'),
    'viewer-styles': path.join(here, 'src/viewer.css'),
    // Sealed bids: key files, SM4/SM2 sealing and the resumable upload of ciphertext (Components/Pages/Bids).
    'sealed-bid': path.join(here, 'src/sealed-bid/browser.js'),
    // The remote opening: unwrap the bid's content key with the bidder's key file (Components/Pages/Openings).
    opening: path.join(here, 'src/opening/room.js'),
  },
  bundle: true,
  format: 'esm',
  minify: true,
  sourcemap: false,
  target: ['es2020'],
  outdir,
  jsx: 'automatic',
  jsxImportSource: '@bpmn-io/properties-panel/preact',
  loader: { '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file' },
  assetNames: 'assets/[name]-[hash]',
  legalComments: 'linked',
  logLevel: 'warning',
});
