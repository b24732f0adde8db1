/**
 * The API token that guards changes: 32 random bytes (base64url) in `<dataDir>/api-token`,
 * created with mode 0600 on first start and reused afterwards.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.ts';

const MIN_TOKEN_LENGTH = 32;

/** Reads the token file, creating it when absent; `isNew` says whether it was just created. */
export function loadOrCreateApiToken(dataDir: string): {
  token: string;
  path: string;
  isNew: boolean;
} {
  const path = join(dataDir, 'api-token');
  if (existsSync(path)) {
    const token = readFileSync(path, 'utf8').trim();
    if (token.length < MIN_TOKEN_LENGTH) {
      throw new ConfigError(
        `the API token in ${path} is shorter than ${MIN_TOKEN_LENGTH} characters; delete the file and restart to create a new one`,
        { key: 'api-token' },
      );
    }
    return { token, path, isNew: false };
  }
  const token = randomBytes(32).toString('base64url');
  writeFileSync(path, `${token}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { token, path, isNew: true };
}
