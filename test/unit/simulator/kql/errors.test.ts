import { describe, expect, it } from 'vitest';
import { KqlError } from '../../../../src/simulator/kql/index.ts';
import { run } from './tables.ts';

function errorOf(query: string, maxRows?: number): KqlError {
  try {
    run(query, maxRows);
  } catch (error) {
    if (error instanceof KqlError) return error;
    throw error;
  }
  throw new Error(`expected ${query} to fail`);
}

describe('syntax errors', () => {
  it('reports an unknown word after a pipe as a syntax error saying a query operator is expected', () => {
    const error = errorOf('Devices | frobnicate x');
    expect(error.kind).toBe('syntax');
    expect(error.message).toContain('Query operator expected.');
    expect(error.message).toContain("Query could not be parsed at 'frobnicate' on line [1,10]");
    expect(error.position).toBe(10);
  });

  it('reports the line and column of a parse error on a later line', () => {
    const error = errorOf('Devices\n| where DeviceId == ');
    expect(error.kind).toBe('syntax');
    expect(error.message).toMatch(/on line \[2,\d+\]/);
  });

  it('rejects an unterminated string', () => {
    expect(errorOf("Devices | where DeviceId == 'd1").kind).toBe('syntax');
  });

  it('rejects an unknown timespan unit', () => {
    expect(errorOf('Devices | where Timestamp > ago(3x)').kind).toBe('syntax');
  });

  it('rejects a query made only of let statements', () => {
    expect(errorOf('let x = 1;').kind).toBe('syntax');
  });
});

describe('semantic errors', () => {
  it('names an unknown table the way Kusto does', () => {
    const error = errorOf('NoSuchTable | take 1');
    expect(error.kind).toBe('semantic');
    expect(error.message).toBe("Failed to resolve table or column expression named 'NoSuchTable'");
  });

  it('matches table names case-sensitively', () => {
    expect(errorOf('devices | take 1').kind).toBe('semantic');
  });

  it('names an unknown column and the operator that used it', () => {
    const error = errorOf('Devices | where Foo == 1');
    expect(error.kind).toBe('semantic');
    expect(error.message).toBe("'where' operator: Failed to resolve scalar expression named 'Foo'");
  });

  it('resolves column names case-sensitively', () => {
    expect(errorOf('Devices | project deviceid').message).toContain("'deviceid'");
  });

  it('rejects a column removed by project before it is used', () => {
    expect(errorOf('Devices | project DeviceId | where RiskScore > 1').kind).toBe('semantic');
  });

  it('rejects comparing a string with a number, as Kusto does', () => {
    const error = errorOf('Devices | where DeviceId > 3');
    expect(error.kind).toBe('semantic');
    expect(error.message).toContain('Cannot compare values of types string and long');
  });

  it('names a real Kusto operator that the subset does not support', () => {
    const error = errorOf('Devices | evaluate bag_unpack(Tags)');
    expect(error.kind).toBe('semantic');
    expect(error.message).toContain("'evaluate'");
  });

  it('rejects an aggregate outside summarize', () => {
    expect(errorOf('Devices | extend c = count()').kind).toBe('semantic');
  });

  it('rejects an unknown function', () => {
    expect(errorOf('Devices | extend x = nosuchfn(1)').message).toContain("'nosuchfn'");
  });

  it('rejects union withsource, which the subset does not support', () => {
    expect(errorOf('union withsource=T Cves, Vulns').kind).toBe('semantic');
  });

  it('rejects an unsupported join kind', () => {
    expect(errorOf('Devices | join kind=fullouter (Vulns) on DeviceId').kind).toBe('semantic');
  });
});

describe('result size limit', () => {
  it('fails with the service message when more than maxRows rows would be returned', () => {
    const error = errorOf('Devices', 3);
    expect(error.kind).toBe('limit');
    expect(error.message).toBe(
      'Query execution has exceeded the allowed result size. Optimize your query by limiting the number of results and try again',
    );
  });

  it('returns exactly maxRows rows without failing', () => {
    expect(run('Devices', 4).rows).toHaveLength(4);
  });

  it('counts the rows of the result, not the rows scanned', () => {
    expect(run('Devices | summarize count()', 1).rows).toEqual([{ count_: 4 }]);
  });
});
