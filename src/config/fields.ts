/**
 * Small typed readers for raw configuration objects. Each records an issue naming the key,
 * the value (hidden when secret) and the expected form, instead of throwing at the first one,
 * so a user sees every mistake of a file at once.
 */

export type RawObject = Record<string, unknown>;

export interface Issue {
  key: string;
  text: string;
}

/** Where to set a key, for the "set it in …" part of a message. */
export type HintFor = (key: string) => string | undefined;

export interface FieldOptions {
  required?: boolean;
  secret?: boolean;
}

const NAME_PATTERN = /^[A-Za-z0-9._-]+$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Collects issues for one validation pass. */
export class FieldReader {
  readonly issues: Issue[] = [];

  /** Records an issue; `value` is shown unless the field is secret. */
  fail(key: string, value: unknown, expected: string, secret = false): void {
    const text = value === undefined ? 'is missing' : `${describe(value, secret)} ${expected}`;
    this.issues.push({ key, text });
  }

  object(value: unknown, key: string): RawObject | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object' && !Array.isArray(value)) return value as RawObject;
    this.fail(key, value, 'is not an object');
    return undefined;
  }

  /** Reports keys that the schema does not know (typos such as `tenantID`). */
  knownKeys(obj: RawObject, allowed: readonly string[], key: string): void {
    for (const name of Object.keys(obj)) {
      if (allowed.includes(name) || name.startsWith('$')) continue;
      this.fail(
        `${join(key, name)}`,
        obj[name],
        `is not a known key; expected one of ${allowed.join(', ')}`,
      );
    }
  }

  string(
    obj: RawObject,
    name: string,
    key: string,
    options: FieldOptions = {},
  ): string | undefined {
    const value = obj[name];
    const path = join(key, name);
    if (value === undefined || value === null || value === '') {
      if (options.required) this.fail(path, undefined, 'it is required');
      return undefined;
    }
    if (typeof value !== 'string') {
      this.fail(path, value, 'is not a string', options.secret);
      return undefined;
    }
    return value;
  }

  /** Letters, digits, `-`, `.`, `_` only (the product's rule for names and descriptions). */
  name(obj: RawObject, name: string, key: string, fallback: string, allowEmpty = false): string {
    const value = obj[name] === undefined ? fallback : obj[name];
    const path = join(key, name);
    if (typeof value !== 'string') {
      this.fail(path, value, 'is not a string');
      return fallback;
    }
    if (value === '' && allowEmpty) return value;
    if (!NAME_PATTERN.test(value)) {
      this.fail(path, value, 'may hold only letters, digits, "-", "." and "_"');
    }
    return value;
  }

  uuid(obj: RawObject, name: string, key: string): string {
    const value = this.string(obj, name, key, { required: true });
    if (value !== undefined && !UUID_PATTERN.test(value)) {
      this.fail(join(key, name), value, 'is not a UUID (8-4-4-4-12 hexadecimal digits)');
    }
    return value ?? '';
  }

  integer(
    obj: RawObject,
    name: string,
    key: string,
    fallback: number,
    min: number,
    max = Number.MAX_SAFE_INTEGER,
  ): number {
    const raw = obj[name] === undefined ? fallback : obj[name];
    const value = typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
      this.fail(join(key, name), raw, `is not a whole number ${range}`);
      return fallback;
    }
    return value;
  }

  boolean(obj: RawObject, name: string, key: string, fallback: boolean): boolean {
    const raw = obj[name];
    if (raw === undefined) return fallback;
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    this.fail(join(key, name), raw, 'is not true or false');
    return fallback;
  }

  oneOf<T extends string>(
    obj: RawObject,
    name: string,
    key: string,
    allowed: readonly T[],
    fallback: T,
  ): T;
  oneOf<T extends string>(
    obj: RawObject,
    name: string,
    key: string,
    allowed: readonly T[],
  ): T | undefined;
  oneOf<T extends string>(
    obj: RawObject,
    name: string,
    key: string,
    allowed: readonly T[],
    fallback?: T,
  ): T | undefined {
    const raw = obj[name];
    if (raw === undefined || raw === null || raw === '') return fallback;
    if (typeof raw === 'string' && (allowed as readonly string[]).includes(raw)) return raw as T;
    this.fail(join(key, name), raw, `is not one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    return fallback;
  }

  /** An absolute http(s) URL without credentials in it. */
  url(obj: RawObject, name: string, key: string, schemes: readonly string[]): string | undefined {
    const value = this.string(obj, name, key);
    if (value === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      this.fail(join(key, name), value, `is not an absolute URL (${schemes.join(' or ')})`);
      return undefined;
    }
    if (!schemes.includes(url.protocol.slice(0, -1))) {
      this.fail(join(key, name), value, `must use ${schemes.join(' or ')}`);
      return undefined;
    }
    if (url.username || url.password) {
      this.fail(
        join(key, name),
        `${url.protocol}//…@${url.host}`,
        'carries credentials; these are not supported in URLs',
      );
      return undefined;
    }
    return value;
  }
}

/** `a.b` or `a[0]` style path. */
export function join(key: string, name: string | number): string {
  if (typeof name === 'number') return `${key}[${name}]`;
  return key === '' ? name : `${key}.${name}`;
}

function describe(value: unknown, secret: boolean | undefined): string {
  if (secret) return '(value hidden)';
  const text =
    typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
