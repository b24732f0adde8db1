/**
 * A folder of recorded responses (DESIGN.md §9): every `*.json` file holds one exchange,
 * `{"request": {"method", "path", "query"?}, "response": {"status", "headers"?, "body"}}`,
 * and is answered every time a request matches, before the generated tenant. Files are read
 * in name order, so the first matching file wins.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectorError } from '../errors.ts';
import { validateScenario, type ScenarioRule } from './scenario.ts';

interface Recording {
  request: { method?: string; path: string; query?: Record<string, string> };
  response: { status: number; headers?: Record<string, string>; body?: unknown };
}

/** Turns the folder's recordings into scenario rules that repeat forever. */
export function loadRecordings(folder: string): ScenarioRule[] {
  let names: string[];
  try {
    names = readdirSync(folder)
      .filter((name) => name.toLowerCase().endsWith('.json'))
      .sort();
  } catch (err) {
    throw new ConnectorError(
      'SIMULATOR_FAILED',
      `recordings folder ${folder} cannot be read; check the path`,
      { cause: err },
    );
  }
  const rules = names.map((name) => toRule(readRecording(join(folder, name))));
  return validateScenario({ rules }, `recordings folder ${folder}`).rules;
}

function readRecording(path: string): Recording {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConnectorError(
      'SIMULATOR_FAILED',
      `recording ${path} is not JSON; fix or remove it`,
      { cause: err },
    );
  }
  const recording = value as Partial<Recording> | null;
  if (!recording?.request || !recording.response || typeof recording.response.status !== 'number') {
    throw new ConnectorError(
      'SIMULATOR_FAILED',
      `recording ${path} needs "request" {method, path} and "response" {status, body}; see docs/simulator.md`,
    );
  }
  return recording as Recording;
}

function toRule(recording: Recording): ScenarioRule {
  return { match: recording.request, responses: [recording.response], then: 'repeat-last' };
}
