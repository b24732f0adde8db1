import { describe, expect, it } from 'vitest';
import { describeRejection, parseImportStatus } from '../../../../src/targets/car/import-status.ts';

describe('import status parsing', () => {
  it('sorts ids into complete, incomplete, not found and error verdicts', () => {
    const verdicts = parseImportStatus(200, {
      success: false,
      complete_imports: [{ id: 'a', status: 'COMPLETE' }],
      incomplete_imports: [{ id: 'b' }],
      notfound_imports: ['c'],
      error_imports: [{ id: 'd', error: 'bad edge', statusCode: 400 }],
    });
    expect(Object.fromEntries(verdicts ?? [])).toEqual({
      a: { state: 'complete' },
      b: { state: 'incomplete' },
      c: { state: 'notfound' },
      d: { state: 'error', message: 'bad edge (status 400)' },
    });
  });

  it('reads a body that is not a status document, or a non-200 answer, as unparseable', () => {
    expect(parseImportStatus(200, undefined)).toBeUndefined();
    expect(parseImportStatus(200, { message: 'ok' })).toBeUndefined();
    expect(parseImportStatus(200, [])).toBeUndefined();
    expect(parseImportStatus(404, { complete_imports: [] })).toBeUndefined();
  });

  it('reads an id listed as complete with another status as an error', () => {
    const verdicts = parseImportStatus(200, { complete_imports: [{ id: 'a', status: 'FAILED' }] });
    expect(verdicts?.get('a')?.state).toBe('error');
  });
});

describe('import rejection text', () => {
  it("quotes the first schema errors of CAR's data_mal_formed body", () => {
    const errors = Array.from({ length: 5 }, (_, i) => ({
      keyword: 'type',
      dataPath: `.vulnerability[${i}].base_score`,
      schemaPath: '#/x',
      params: {},
      message: 'must be number',
    }));
    const body = {
      errors: [{ code: 'data_mal_formed', message: JSON.stringify(errors) }],
      trace: 't',
    };
    expect(describeRejection(body, '')).toBe(
      'data_mal_formed: .vulnerability[0].base_score must be number; .vulnerability[1].base_score must be number; ' +
        '.vulnerability[2].base_score must be number (and 2 more)',
    );
  });

  it('falls back to the code and message, or the raw text', () => {
    expect(describeRejection({ errors: [{ code: 'x', message: 'y' }] }, '')).toBe('x: y');
    expect(describeRejection(undefined, '<html>bad gateway</html>')).toBe(
      '<html>bad gateway</html>',
    );
  });
});
