/**
 * Scenario files: scripted answers for matching requests, played in sequence before the
 * generated tenant answers (docs/simulator.md). A rule matches on method, path (the
 * `/api/v1.0` segment and a trailing slash ignored, `*` at the end for a prefix) and a subset
 * of query parameters. Each response is a scripted status/headers/body, or a passthrough to
 * the tenant that may be delayed, truncated or cut off. After the last response the rule
 * either lets requests through (`then: "passthrough"`, the default) or repeats the last one.
 */
import { readFileSync } from 'node:fs';
import { ConnectorError } from '../errors.ts';

export interface ScenarioResponse {
  status?: number;
  headers?: Record<string, string>;
  /** JSON value, or a string sent as is. */
  body?: unknown;
  passthrough?: boolean;
  delayMs?: number;
  /** With passthrough: half the body, then a normal end (invalid JSON). */
  truncate?: boolean;
  /** With passthrough: half the body, then the connection drops. */
  disconnect?: boolean;
}

export interface ScenarioRule {
  match: { method?: string; path: string; query?: Record<string, string> };
  responses: ScenarioResponse[];
  then?: 'passthrough' | 'repeat-last';
}

export interface ScenarioFile {
  rules: ScenarioRule[];
  options?: {
    /** Every next link repeats the first page's link (mde-api.md §6 Q2). */
    repeatingNextLink?: boolean;
    /** Rows per page without `$top` (10,000 on the real service). */
    pageSize?: number;
  };
}

/** Normalises a request or rule path: no `/v1.0` after `/api`, no trailing slash, lower case. */
export function normalisePath(path: string): string {
  const p = path.replace(/^\/api\/v1\.0(?=\/|$)/i, '/api').replace(/\/+$/, '');
  return (p === '' ? '/' : p).toLowerCase();
}

export function loadScenarioFile(path: string): ScenarioFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConnectorError(
      'SIMULATOR_FAILED',
      `scenario file ${path} cannot be read as JSON; check the path and the syntax`,
      { cause: err },
    );
  }
  return validateScenario(parsed, path);
}

/** Checks the shape and names the first bad rule; returns the scenario typed. */
export function validateScenario(value: unknown, source = 'scenario'): ScenarioFile {
  const fail = (what: string): never => {
    throw new ConnectorError(
      'SIMULATOR_FAILED',
      `${source}: ${what}; see docs/simulator.md for the scenario format`,
    );
  };
  if (!value || typeof value !== 'object' || !Array.isArray((value as ScenarioFile).rules))
    fail('expected an object with a "rules" array');
  const scenario = value as ScenarioFile;
  scenario.rules.forEach((rule, i) => {
    if (!rule?.match || typeof rule.match.path !== 'string')
      fail(`rules[${i}].match.path is missing`);
    if (!Array.isArray(rule.responses) || rule.responses.length === 0)
      fail(`rules[${i}].responses must be a non-empty array`);
    if (rule.then !== undefined && rule.then !== 'passthrough' && rule.then !== 'repeat-last')
      fail(`rules[${i}].then must be "passthrough" or "repeat-last"`);
    rule.responses.forEach((r, j) => {
      if (!r.passthrough && typeof r.status !== 'number')
        fail(`rules[${i}].responses[${j}] needs a numeric "status" or "passthrough": true`);
    });
  });
  return scenario;
}

/** Plays the rules: which scripted response (if any) answers a request. */
export class ScenarioPlayer {
  private readonly served = new Map<ScenarioRule, number>();

  constructor(private rules: ScenarioRule[] = []) {}

  replace(rules: ScenarioRule[]): void {
    this.rules = rules;
    this.served.clear();
  }

  /** The next response of the first matching rule that still has one. */
  next(method: string, path: string, url: URL): ScenarioResponse | undefined {
    for (const rule of this.rules) {
      if (!matches(rule, method, path, url)) continue;
      const count = this.served.get(rule) ?? 0;
      if (count < rule.responses.length) {
        this.served.set(rule, count + 1);
        return rule.responses[count];
      }
      if (rule.then === 'repeat-last') return rule.responses[rule.responses.length - 1];
    }
    return undefined;
  }
}

function matches(rule: ScenarioRule, method: string, path: string, url: URL): boolean {
  if (rule.match.method && rule.match.method.toUpperCase() !== method) return false;
  const want = normalisePath(rule.match.path);
  const have = normalisePath(path);
  if (want.endsWith('*') ? !have.startsWith(want.slice(0, -1)) : want !== have) return false;
  return Object.entries(rule.match.query ?? {}).every(
    ([key, value]) => url.searchParams.get(key) === value,
  );
}
