import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tenant } from '../../../src/simulator/tenant/tenant.ts';
import { checkShape, type Shape } from './shape-checker.ts';
import * as shapes from './shapes.ts';

const SAMPLES = join(import.meta.dirname, '../../../../shared/samples/mde');
const hasSamples = existsSync(SAMPLES);
if (!hasSamples) console.warn(`skipping sample shape checks: ${SAMPLES} is absent`);

function sample(name: string): unknown {
  return JSON.parse(readFileSync(join(SAMPLES, name), 'utf8'));
}

function value(name: string): unknown[] {
  return (sample(name) as { value: unknown[] }).value;
}

function body(name: string, variant?: string): unknown {
  const wrapped = sample(name) as Record<string, { body: unknown }> & { body: unknown };
  return variant ? wrapped[variant]?.body : wrapped.body;
}

function problems(items: unknown[], shape: Shape, strict = false): string[] {
  return items.flatMap((item) => checkShape(item, shape, { strict }));
}

describe.skipIf(!hasSamples)('the shape checker accepts the real samples', () => {
  it.each([
    ['machines-page.json', shapes.MACHINE],
    ['machines-edge-empty-ip.json', shapes.MACHINE],
    ['alerts-with-evidence.json', shapes.ALERT],
    ['alerts-legacy-shape.json', shapes.ALERT],
    ['logonusers.json', shapes.LOGON_USER],
    ['machine-vulnerabilities.json', shapes.VULNERABILITY],
    ['machines-vulnerabilities-page.json', shapes.MACHINE_VULNERABILITY],
    ['machine-software.json', shapes.SOFTWARE],
    ['graph-users.json', shapes.GRAPH_USER],
    ['graph-users-page-with-nextlink.json', shapes.GRAPH_USER],
  ] as const)('accepts every record of %s', (file, shape) => {
    expect(problems(value(file), shape)).toEqual([]);
  });

  it('accepts the single machine, alert and vulnerability entities', () => {
    expect(checkShape(sample('alert-single-real.json'), shapes.ALERT)).toEqual([]);
    expect(checkShape(sample('vulnerability-entity-real.json'), shapes.VULNERABILITY)).toEqual([]);
  });

  it('accepts the token responses and the error bodies', () => {
    expect(checkShape(sample('token-response-v2.json'), shapes.TOKEN_V2)).toEqual([]);
    expect(checkShape(sample('token-response-v1.json'), shapes.TOKEN_V1)).toEqual([]);
    for (const file of [
      'error-aad-7000215-invalid-client-secret.json',
      'error-aad-700016-app-not-found.json',
      'error-aad-70011-invalid-scope.json',
    ]) {
      expect(checkShape(body(file), shapes.ENTRA_ERROR), file).toEqual([]);
    }
    expect(
      checkShape(
        body('error-aad-90002-tenant-not-found.json', 'newer_invalid_tenant_variant'),
        shapes.ENTRA_ERROR,
      ),
    ).toEqual([]);
    for (const file of [
      'error-mde-400-invalid-request-body.json',
      'error-mde-403-missing-application-permission.json',
      'error-mde-404-resource-not-found.json',
    ]) {
      expect(checkShape(body(file), shapes.MDE_ERROR), file).toEqual([]);
    }
    expect(
      checkShape(body('error-mde-429-advanced-hunting-quota.json', 'per_minute'), shapes.MDE_ERROR),
    ).toEqual([]);
    expect(checkShape(body('error-graph-401-expired-token.json'), shapes.GRAPH_ERROR)).toEqual([]);
  });

  it('accepts the advanced-hunting answers', () => {
    for (const file of [
      'advanced-query-response.json',
      'advanced-query-deviceinfo.json',
      'advanced-query-devicenetworkinfo.json',
      'advanced-hunting-response-with-stats.json',
    ]) {
      expect(checkShape(sample(file), shapes.HUNTING_RESPONSE), file).toEqual([]);
    }
  });

  it('rejects a machine whose MAC has separators, so the checker can fail', () => {
    const [machine] = value('machines-page.json') as Record<string, unknown>[];
    const broken = {
      ...machine,
      ipAddresses: [
        { ipAddress: '10.0.0.1', macAddress: '00-0C-29-A1-B2-C3', operationalStatus: 'Up' },
      ],
    };
    expect(checkShape(broken, shapes.MACHINE)).not.toEqual([]);
  });
});

describe('generated records have the shapes of the real payloads', () => {
  const tenant = new Tenant({
    seed: 7,
    machines: 400,
    nowMs: Date.parse('2025-06-02T12:00:00Z'),
    tenantId: '00000000-0000-4000-8000-000000000000',
  });

  it('generates machines in the machine shape, with no keys the service does not send', () => {
    expect(problems(tenant.machines, shapes.MACHINE, true)).toEqual([]);
  });

  it('generates alerts, with and without expanded evidence, in the alert shape', () => {
    expect(problems(tenant.alerts, shapes.ALERT, true)).toEqual([]);
    expect(
      problems(
        tenant.alertEntries.map((e) => tenant.withEvidence(e)),
        shapes.ALERT,
        true,
      ),
    ).toEqual([]);
  });

  it('generates logged-on users, vulnerabilities, software and pairs in their shapes', () => {
    const entries = tenant.listedEntries().slice(0, 100);
    expect(
      problems(
        entries.flatMap((e) => tenant.logonUsers(e)),
        shapes.LOGON_USER,
        true,
      ),
    ).toEqual([]);
    expect(
      problems(
        entries.flatMap((e) => tenant.machineVulnerabilities(e)),
        shapes.VULNERABILITY,
        true,
      ),
    ).toEqual([]);
    expect(
      problems(
        entries.flatMap((e) => tenant.software(e)),
        shapes.SOFTWARE,
        true,
      ),
    ).toEqual([]);
    expect(
      problems(tenant.machineVulnerabilityPairs(), shapes.MACHINE_VULNERABILITY, true),
    ).toEqual([]);
  });

  it('generates Graph users whose default properties have the Graph shape', () => {
    const defaults = tenant.users.map((u) =>
      Object.fromEntries(Object.keys(shapes.GRAPH_USER.required).map((k) => [k, u[k]])),
    );
    expect(problems(defaults, shapes.GRAPH_USER, true)).toEqual([]);
  });
});
