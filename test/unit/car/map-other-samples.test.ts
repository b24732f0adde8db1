import { describe, expect, it } from 'vitest';
import { mapAlerts } from '../../../src/car/map-alerts.ts';
import { mapGraphUsers } from '../../../src/car/map-graph-users.ts';
import { mapLogonUsers } from '../../../src/car/map-logons.ts';
import { mapMachines } from '../../../src/car/map-machines.ts';
import { mapNetworkRows } from '../../../src/car/map-network.ts';
import {
  mapMachineVulnerabilities,
  mapSoftwareVulnerabilities,
} from '../../../src/car/map-vulnerabilities.ts';
import { validateBatch } from '../../../src/car/schema.ts';
import type {
  Alert,
  GraphUser,
  HuntingResult,
  LogonUser,
  Machine,
  MachineVulnerability,
  NetworkInfoRow,
  SoftwareVulnerabilityRow,
} from '../../../src/mde/types.ts';
import { edge, edgeList, testContext, vertex, vertexIds } from './helpers.ts';
import { HAS_SAMPLES, readSample, SAMPLES_DIR, SAMPLES_NOTE, sampleValues } from './samples.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DESKTOP = '4f1c2b9a7d3e5f60812a9b4c6d7e8f9012345678';

describe.skipIf(!HAS_SAMPLES)(`mapping alert samples${SAMPLES_NOTE}`, () => {
  it('maps alerts to vulnerability vertices marked as alerts, with dates in epoch ms', () => {
    const { batch } = mapAlerts(sampleValues<Alert>('alerts-with-evidence.json'), testContext());
    const alert = vertex(batch, 'vulnerability', 'da637472900382838869_1364969609')!;
    expect(alert).toMatchObject({
      external_id: 'da637472900382838869_1364969609',
      name: 'Low-reputation arbitrary code executed by signed executable',
      base_score: 2,
      disclosed_on: Date.UTC(2021, 0, 26, 20, 31, 32, 956),
      published_on: Date.UTC(2021, 0, 26, 20, 33, 57, 722),
      updated_on: Date.UTC(2021, 0, 26, 20, 33, 59, 200),
      properties: { kind: 'alert', severity: 'Low', status: 'New', evidenceCount: 3 },
    });
    expect(edgeList(batch, 'asset_vulnerability')).toEqual([
      '111e6dd8c833c8a052ea231ec1b19adaf497b625 -> da637472900382838869_1364969609',
      '12ee6dd8c833c8a052ea231ec1b19adaf497b625 -> da637308392288907382_-880718168',
    ]);
    expect(validateBatch(batch)).toEqual({ ok: true });
  });

  it('links a resolved alert by an inactive edge', () => {
    const { batch } = mapAlerts([readSample<Alert>('alert-single-real.json')], testContext());
    expect(edgeList(batch, 'asset_vulnerability')).toEqual([
      `${DESKTOP} -> ar638180599315648136_73827727 (inactive)`,
    ]);
    expect(vertex(batch, 'vulnerability', 'ar638180599315648136_73827727')).toMatchObject({
      base_score: 0,
      properties: { kind: 'alert', severity: 'Informational', status: 'Resolved' },
    });
    expect(validateBatch(batch)).toEqual({ ok: true });
  });

  it('reads the legacy alert shape and turns the string "null" category into null', () => {
    const { batch } = mapAlerts(sampleValues<Alert>('alerts-legacy-shape.json'), testContext());
    expect(vertexIds(batch, 'vulnerability')).toHaveLength(2);
    expect(
      vertex(batch, 'vulnerability', 'da637029414680409372_735564929')!.properties,
    ).toMatchObject({
      category: null,
      severity: 'Medium',
    });
    expect(validateBatch(batch)).toEqual({ ok: true });
  });
});

describe.skipIf(!HAS_SAMPLES)(`mapping network rows${SAMPLES_NOTE}`, () => {
  it('maps every address of every adapter row; the all-zero tunnel MAC makes no vertex', () => {
    const rows = readSample<HuntingResult>('advanced-query-devicenetworkinfo.json').Results;
    const { batch, counters } = mapNetworkRows(rows as NetworkInfoRow[], testContext());
    const first = '999b6fd7c532534ba50b3232fa992c38a273d4fb';
    const second = '5844d4a3f835919fd63772082de62951d0dab09d';
    expect(edgeList(batch, 'asset_ipaddress')).toEqual(
      [
        `${first} -> 10.0.0.4`,
        `${first} -> fe80::39f0:832a:89a1:f6e1%${first}`,
        `${second} -> 100.88.109.22`,
        `${second} -> fd7a:115c:a1e0::2b01:6da4`,
        `${second} -> fe80:1e::f6d4:88ff:fe68:3c84%${second}`,
      ].sort(),
    );
    expect(vertex(batch, 'ipaddress', '100.88.109.22')!.properties).toEqual({
      family: 4,
      scope: 'cgnat',
    });
    expect(edgeList(batch, 'asset_macaddress')).toEqual([`${first} -> 00:0d:3a:9e:c7:81`]);
    expect(edgeList(batch, 'ipaddress_macaddress')).toEqual([
      '10.0.0.4 -> 00:0d:3a:9e:c7:81',
      `fe80::39f0:832a:89a1:f6e1%${first} -> 00:0d:3a:9e:c7:81`,
    ]);
    expect(counters).toEqual({ 'macDropped.allZero': 1 });
    expect(validateBatch(batch)).toEqual({ ok: true });
  });
});

describe.skipIf(!HAS_SAMPLES)(`mapping logged-on users${SAMPLES_NOTE}`, () => {
  it('keys accounts by domain and name and links them to the asset and its host name', () => {
    const ctx = testContext();
    mapMachines(sampleValues<Machine>('machines-page.json'), ctx);
    const { batch } = mapLogonUsers(DESKTOP, sampleValues<LogonUser>('logonusers.json'), ctx);
    expect(vertexIds(batch, 'account')).toEqual(['contoso\\user1', 'desktop-01\\user one']);
    expect(vertex(batch, 'account', 'desktop-01\\user one')).toMatchObject({
      name: 'desktop-01\\user one',
      active: true,
      properties: {
        accountName: 'user one',
        accountDomain: 'desktop-01',
        isDomainAdmin: true,
        logonTypes: 'Interactive',
      },
    });
    expect(vertex(batch, 'user', 'contoso\\user1')).toMatchObject({ username: 'user1' });
    expect(edgeList(batch, 'asset_account')).toEqual([
      `${DESKTOP} -> contoso\\user1`,
      `${DESKTOP} -> desktop-01\\user one`,
    ]);
    expect(edge(batch, 'account_hostname', 'contoso\\user1', 'desktop-01')).toMatchObject({
      _from_external_id: 'contoso\\user1',
      _to_external_id: 'desktop-01',
    });
    expect(edge(batch, 'user_account', 'contoso\\user1', 'contoso\\user1')).toMatchObject({
      last_access_time: Date.UTC(2020, 0, 6, 8, 1, 48),
    });
    expect(validateBatch(batch)).toEqual({ ok: true });
  });
});

describe.skipIf(!HAS_SAMPLES)(`mapping vulnerability samples${SAMPLES_NOTE}`, () => {
  it('maps machine vulnerabilities to software, CVEs and all three edges', () => {
    const items = sampleValues<MachineVulnerability>('machines-vulnerabilities-page.json');
    const { batch } = mapMachineVulnerabilities(items, testContext());
    const app = 'microsoft:edge_chromium-based:81.0.416.77';
    expect(vertex(batch, 'application', app)).toMatchObject({
      name: 'microsoft edge_chromium-based 81.0.416.77',
      is_os: false,
    });
    expect(vertex(batch, 'vulnerability', 'CVE-2020-6494')).toEqual({
      external_id: 'CVE-2020-6494',
      name: 'CVE-2020-6494',
      properties: { kind: 'cve', severity: 'Low', exploitAvailable: null },
    });
    expect(edgeList(batch, 'application_vulnerability')).toContain(`${app} -> CVE-2020-6494`);
    expect(edgeList(batch, 'asset_vulnerability')).toContain(
      '5afa3afc92a7c63d4b70129e0a6f33f63a427e21 -> CVE-2020-6494',
    );
    expect(edgeList(batch, 'asset_application')).toContain(
      `5afa3afc92a7c63d4b70129e0a6f33f63a427e21 -> ${app}`,
    );
    expect(validateBatch(batch)).toEqual({ ok: true });
  });

  it('reads the camelCase assessment rows: software without a CVE is inventory only', () => {
    const rows = sampleValues<SoftwareVulnerabilityRow>('software-vulnerabilities-by-machine.json');
    const { batch } = mapSoftwareVulnerabilities(rows, testContext());
    expect(vertexIds(batch, 'application')).toEqual([
      'microsoft:.net_framework:4.0.0.0',
      'microsoft:edge:10.0.17763.1637',
      'microsoft:windows_10:10.0.17763.1637',
    ]);
    expect(batch.vertices.vulnerability).toBeUndefined();
    expect(edgeList(batch, 'asset_application')).toContain(
      '00044f612345daf756462bde6bd733b9a9c59ab4 -> microsoft:edge:10.0.17763.1637',
    );
    expect(validateBatch(batch)).toEqual({ ok: true });
  });

  it('keeps the CVSS score of export rows unrounded', () => {
    const lines = readFileSync(
      join(SAMPLES_DIR, 'software-vulnerabilities-export-file-lines.jsonl'),
      'utf8',
    )
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as SoftwareVulnerabilityRow);
    const { batch } = mapSoftwareVulnerabilities(lines, testContext());
    expect(vertex(batch, 'vulnerability', 'CVE-2022-49226')).toMatchObject({
      base_score: 5.5,
      properties: { severity: 'Medium' },
    });
    expect(edgeList(batch, 'application_vulnerability')).toContain(
      'vmware:tools:12.0.6.0 -> CVE-2022-31676',
    );
    expect(validateBatch(batch)).toEqual({ ok: true });
  });
});

describe.skipIf(!HAS_SAMPLES)(`mapping Graph users${SAMPLES_NOTE}`, () => {
  it('keys users by Entra object id and copies their names, UPN and mail', () => {
    const users = [
      ...sampleValues<GraphUser>('graph-users.json'),
      ...sampleValues<GraphUser>('graph-users-page-with-nextlink.json'),
    ];
    const { batch } = mapGraphUsers(users, testContext());
    expect(vertexIds(batch, 'user')).toHaveLength(5);
    expect(vertex(batch, 'user', '4562bcc8-c436-4f95-b7c0-4f8ce89dca5e')).toMatchObject({
      name: 'admin@contoso.com',
      fullname: 'MOD Administrator',
      given_name: 'MOD',
      family_name: 'Administrator',
      upn: 'admin@contoso.com',
      username: 'admin',
    });
    expect(vertex(batch, 'user', '6ea91a8d-e32e-41a1-b7bd-d2d185eed0e0')).toMatchObject({
      email: 'Adams@contoso.com',
    });
    expect(validateBatch(batch)).toEqual({ ok: true });
  });
});
