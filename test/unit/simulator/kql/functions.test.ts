import { describe, expect, it } from 'vitest';
import { column, run } from './tables.ts';

const values = (expr: string) => column(`Devices | extend x = ${expr} | project x`, 'x');
const scalar = (expr: string) => run(`Cves | take 1 | project x = ${expr}`).rows[0]?.x;

describe('conversion functions', () => {
  it('renders values with tostring by type', () => {
    expect(values('tostring(RiskScore)')).toEqual(['10', '30', '20', '']);
    expect(values('tostring(Timestamp)')[0]).toBe('2024-03-01T10:00:00.0000000Z');
    expect(values('tostring(Tags)')).toEqual(['["vip","lab"]', '["vip"]', '[]', '']);
    expect(values('tostring(IsAzureADJoined)')).toEqual(['true', 'true', 'false', '']);
  });

  it('parses numbers with toint, tolong and todouble, null when not a number', () => {
    expect(scalar("toint('42')")).toBe(42);
    expect(scalar("toint('x')")).toBeNull();
    expect(scalar("tolong('639199916335081329')")).toBe(639199916335081329n);
    expect(scalar("todouble('1.5')")).toBe(1.5);
    expect(scalar('toint(2.9)')).toBe(2);
  });

  it('parses JSON with parse_json and todynamic and reads members and indexes', () => {
    expect(scalar('parse_json(\'{"a":{"b":[1,2]}}\').a.b[1]')).toBe(2);
    expect(scalar("todynamic('[10,20,30]')[-1]")).toBe(30);
    expect(scalar('parse_json(\'{"k":1}\')["k"]')).toBe(1);
    expect(scalar("parse_json('not json')")).toBe('not json');
  });
});

describe('string functions', () => {
  it('changes case and measures length', () => {
    expect(scalar("tolower('AbC')")).toBe('abc');
    expect(scalar("toupper('AbC')")).toBe('ABC');
    expect(scalar("strlen('Beta-Server')")).toBe(11);
  });

  it('cuts with substring and split, and joins with strcat', () => {
    expect(scalar("substring('Beta-Server', 5)")).toBe('Server');
    expect(scalar("substring('Beta-Server', 0, 4)")).toBe('Beta');
    expect(scalar("split('a.b.c', '.')")).toEqual(['a', 'b', 'c']);
    expect(scalar("split('a.b.c', '.', 1)")).toEqual(['b']);
    expect(scalar("strcat('a', 1, 'b', 2.5)")).toBe('a1b2.5');
  });
});

describe('conditional functions', () => {
  it('chooses with iff and iif, a null condition choosing the else branch', () => {
    expect(values("iff(RiskScore > 15, 'high', 'low')")).toEqual(['low', 'high', 'high', 'low']);
    expect(values("iif(DeviceId == 'd2', 1, 0)")).toEqual([0, 0, 1, 0]);
  });

  it('chooses the first true branch with case, else the last argument', () => {
    expect(values("case(RiskScore >= 30, 'critical', RiskScore >= 20, 'high', 'other')")).toEqual([
      'other',
      'critical',
      'high',
      'other',
    ]);
  });

  it('returns the first non-empty argument with coalesce', () => {
    expect(values("coalesce(OSPlatform, 'unknown')")).toEqual([
      'Windows10',
      'Windows10',
      'WindowsServer2019',
      'unknown',
    ]);
    expect(values('coalesce(RiskScore, -1)')).toEqual([10, 30, 20, -1]);
  });

  it('measures dynamic arrays held as text or arrays with array_length', () => {
    expect(values('array_length(Tags)')).toEqual([2, 1, 0, null]);
  });
});

describe('time functions and arithmetic', () => {
  it('evaluates now() and ago() once from the query clock', () => {
    expect(scalar('now()')).toBe('2024-03-04T00:00:00.0000000Z');
    expect(scalar('ago(1h)')).toBe('2024-03-03T23:00:00.0000000Z');
    expect(scalar('ago(100ms)')).toBe('2024-03-03T23:59:59.9000000Z');
  });

  it('subtracts datetimes into timespans and adds timespans to datetimes, to 100 ns', () => {
    expect(values('Timestamp - datetime(2024-03-01)')[1]).toBe('1.10:00:00.1234567');
    expect(values('Timestamp + 1d')[3]).toBe('2024-03-04T00:00:00.5000000Z');
    expect(scalar('90m')).toBe('01:30:00');
  });

  it('bins numbers and datetimes', () => {
    expect(values('bin(RiskScore, 7)')).toEqual([7, 28, 14, null]);
    expect(values('bin(Timestamp, 1h)')[1]).toBe('2024-03-02T10:00:00.0000000Z');
    expect(values('bin(Timestamp, 100ms)')[1]).toBe('2024-03-02T10:00:00.1000000Z');
  });
});
