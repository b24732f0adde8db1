import { describe, expect, it } from 'vitest';
import { validateBatch, validateEnvelope, validateRecord } from '../../../src/car/schema.ts';

describe('validateEnvelope', () => {
  it('accepts a valid envelope with source, report and a collection', () => {
    const envelope = {
      source: { _key: 'mde-test', name: 'tenant' },
      report: { _key: '1714550400000', timestamp: 1714550400000 },
      ipaddress: [{ _key: '10.0.0.1', name: '10.0.0.1' }],
    };
    expect(validateEnvelope(envelope)).toEqual({ ok: true });
  });

  it('reports errors in the older ajv shape CAR uses, with JavaScript data paths', () => {
    const result = validateEnvelope({
      ipaddress: [{ _key: 'x', name: 's10.0.0.1' }],
      macaddress: [{ _key: 'y', name: '0g:01:02:03:04:05' }],
      vulnerability: [{ external_id: 'CVE-1', name: 'CVE-1', base_score: '9' }],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.keyword, e.dataPath])).toEqual([
      ['pattern', '.ipaddress[0].name'],
      ['pattern', '.macaddress[0].name'],
      ['type', '.vulnerability[0].base_score'],
    ]);
    expect(result.errors[2]).toEqual({
      keyword: 'type',
      dataPath: '.vulnerability[0].base_score',
      schemaPath: '#/properties/vulnerability/items/properties/base_score/type',
      params: { type: 'number' },
      message: 'must be number',
    });
  });

  it('requires name and external_id on an asset and a numeric report timestamp', () => {
    const asset = validateRecord('asset', { external_id: 'a' });
    expect(asset.ok ? [] : asset.errors.map((e) => e.params)).toEqual([
      { missingProperty: 'name' },
    ]);
    const report = validateEnvelope({ report: { _key: 'r', timestamp: '1' } });
    expect(report.ok ? [] : report.errors.map((e) => e.dataPath)).toEqual(['.report.timestamp']);
  });

  it('validates a whole batch collection by collection', () => {
    expect(
      validateBatch({ vertices: { asset: [{ external_id: 'a', name: 'a' }] }, edges: {} }),
    ).toEqual({ ok: true });
    expect(
      validateBatch({ vertices: { asset: [{ external_id: 'a', name: 'a', risk: 11 }] }, edges: {} })
        .ok,
    ).toBe(false);
  });
});
