/**
 * Encryption at rest for connection secrets: AES-256-GCM with a 32-byte key taken from
 * `MDE_CAR_SECRET_KEY` (base64) or from `<dataDir>/secret.key`, created with mode 0600 on first
 * start. A sealed value is `v1:<iv>:<tag>:<ciphertext>` in base64 parts, so a stored column
 * never holds the plaintext and tampering fails authentication.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, StoreError } from '../errors.ts';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const VERSION = 'v1';

/** Seals and opens secrets with one key. */
export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

/** Where the key came from, for the start-up log line (never the key itself). */
export type SecretKeySource = 'env' | 'file-created' | 'file';

/**
 * Returns the 32-byte key: from `envValue` (base64) when given, else from the key file in
 * `dataDir`, creating it with mode 0600 when absent. Throws CONFIG_INVALID for a bad key.
 */
export function loadSecretKey(options: { dataDir: string; envValue?: string | undefined }): {
  key: Buffer;
  source: SecretKeySource;
} {
  if (options.envValue !== undefined && options.envValue !== '') {
    return { key: decodeKey(options.envValue, 'MDE_CAR_SECRET_KEY'), source: 'env' };
  }

  const path = join(options.dataDir, 'secret.key');
  if (existsSync(path)) {
    return { key: decodeKey(readFileSync(path, 'utf8').trim(), path), source: 'file' };
  }

  const key = randomBytes(KEY_BYTES);
  // 'wx' fails when another process created the file meanwhile, rather than overwriting it.
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { key, source: 'file-created' };
}

function decodeKey(text: string, where: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new ConfigError(
      `the secret key in ${where} is ${key.length} bytes after base64 decoding; ` +
        `it must be ${KEY_BYTES} (create one with: openssl rand -base64 32)`,
      { key: 'MDE_CAR_SECRET_KEY' },
    );
  }
  return key;
}

/** A SecretBox over AES-256-GCM with a fresh random IV per value. */
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) {
    throw new ConfigError(`the secret key must be ${KEY_BYTES} bytes`, { key: 'secretKey' });
  }
  return {
    seal(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv, tag, data]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64')))
        .join(':');
    },
    open(sealed) {
      const [version, iv, tag, data] = sealed.split(':');
      if (version !== VERSION || iv === undefined || tag === undefined || data === undefined) {
        throw new StoreError('a stored secret has an unknown format; enter the secret again');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        const plain = Buffer.concat([
          decipher.update(Buffer.from(data, 'base64')),
          decipher.final(),
        ]);
        return plain.toString('utf8');
      } catch (err) {
        throw new StoreError(
          'a stored secret cannot be decrypted: the secret key changed or the value was altered; ' +
            'restore the old key (MDE_CAR_SECRET_KEY or secret.key) or enter the secret again',
          { cause: err },
        );
      }
    },
  };
}
