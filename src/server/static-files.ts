/**
 * The web UI's static files, read once from src/server/ui at build time into memory, so a
 * request path can only ever name a file in that list (no path traversal by construction).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The default UI folder beside this module. */
export const UI_DIR = fileURLToPath(new URL('./ui/', import.meta.url));

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/** URL path (`/`, `/app.js`) → file; `/` serves index.html. */
export function loadStaticFiles(dir: string = UI_DIR): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(dir)) {
    const contentType = CONTENT_TYPES[extname(name)];
    if (!contentType) continue;
    files.set(`/${name}`, { body: readFileSync(join(dir, name)), contentType });
  }
  const index = files.get('/index.html');
  if (index) files.set('/', index);
  return files;
}
