/**
 * Software vulnerabilities → application and CVE vulnerability vertices with asset_application,
 * application_vulnerability and asset_vulnerability edges. Fixes car-service.md §4.4–4.5 and §6:
 * application→CVE edges are written, CVEs without a CVSS score are kept (without `base_score`),
 * CVSS is not rounded, and dates are epoch milliseconds.
 *
 * Rows come as advanced-hunting PascalCase (`SoftwareVendor`, `CveId`) or as the assessment
 * API's camelCase (`softwareVendor`, `cveId`); both spellings are read.
 */
import { softwareApplication } from './applications.ts';
import { BatchBuilder } from './batch-builder.ts';
import { redirectMachineId, type MappingContext } from './context.ts';
import type { MappedBatch, VertexRecord } from './types.ts';
import type { MachineVulnerability, SoftwareVulnerabilityRow } from '../mde/types.ts';
import { toEpochMs } from '../mde/time.ts';

interface VulnerableSoftware {
  machineId: unknown;
  vendor: unknown;
  product: unknown;
  version: unknown;
  cveId: unknown;
  cvss: unknown;
  severity: unknown;
  description: unknown;
  publishedOn: unknown;
  updatedOn: unknown;
  exploitAvailable: unknown;
}

/** Maps software-vulnerability rows (advanced hunting, assessment API or export lines). */
export function mapSoftwareVulnerabilities(
  rows: SoftwareVulnerabilityRow[],
  ctx: MappingContext,
): MappedBatch {
  const builder = new BatchBuilder(ctx);
  for (const row of rows) {
    addVulnerableSoftware(builder, ctx, {
      machineId: field(row, 'DeviceId', 'deviceId'),
      vendor: field(row, 'SoftwareVendor', 'softwareVendor'),
      product: field(row, 'SoftwareName', 'softwareName'),
      version: field(row, 'SoftwareVersion', 'softwareVersion'),
      cveId: field(row, 'CveId', 'cveId'),
      cvss: field(row, 'CvssScore', 'cvssScore'),
      severity: field(row, 'VulnerabilitySeverityLevel', 'vulnerabilitySeverityLevel'),
      description: field(row, 'VulnerabilityDescription', 'vulnerabilityDescription'),
      publishedOn: field(row, 'PublishedDate', 'publishedDate'),
      updatedOn: field(row, 'LastModifiedTime', 'lastModifiedTime'),
      exploitAvailable: field(row, 'IsExploitAvailable', 'isExploitAvailable'),
    });
  }
  return builder.build();
}

/** Maps `GET /api/vulnerabilities/machinesVulnerabilities` items (no CVSS in this listing). */
export function mapMachineVulnerabilities(
  items: MachineVulnerability[],
  ctx: MappingContext,
): MappedBatch {
  const builder = new BatchBuilder(ctx);
  for (const item of items) {
    addVulnerableSoftware(builder, ctx, {
      machineId: item?.machineId,
      vendor: item?.productVendor,
      product: item?.productName,
      version: item?.productVersion,
      cveId: item?.cveId,
      cvss: undefined,
      severity: item?.severity,
      description: undefined,
      publishedOn: undefined,
      updatedOn: undefined,
      exploitAvailable: undefined,
    });
  }
  return builder.build();
}

function addVulnerableSoftware(
  builder: BatchBuilder,
  ctx: MappingContext,
  row: VulnerableSoftware,
): void {
  const machineId = typeof row.machineId === 'string' ? row.machineId.trim() : '';
  if (machineId === '') {
    builder.skip('softwareVulnerability', 'missingDeviceId');
    return;
  }
  const assetId = redirectMachineId(ctx, machineId);
  const application = softwareApplication(row.vendor, row.product, row.version);
  const cve = cveRecord(row);
  if (!application && !cve) {
    builder.skip('softwareVulnerability', 'noSoftwareOrCve', machineId);
    return;
  }

  if (application) {
    builder.vertex('application', application);
    builder.edge('asset_application', assetId, application.external_id as string, true);
  }
  if (!cve) return;
  builder.vertex('vulnerability', cve);
  builder.edge('asset_vulnerability', assetId, cve.external_id as string, true);
  if (application) {
    builder.edge(
      'application_vulnerability',
      application.external_id as string,
      cve.external_id as string,
      true,
    );
  }
}

/** A CVE vertex, or undefined when the row names no CVE (software inventory only). */
function cveRecord(row: VulnerableSoftware): VertexRecord | undefined {
  if (typeof row.cveId !== 'string' || !/^CVE-\d{4}-\d+$/i.test(row.cveId.trim())) return undefined;
  const id = row.cveId.trim().toUpperCase();
  const record: VertexRecord = {
    external_id: id,
    name: id,
    properties: {
      kind: 'cve',
      severity: typeof row.severity === 'string' ? row.severity : null,
      exploitAvailable: typeof row.exploitAvailable === 'boolean' ? row.exploitAvailable : null,
    },
  };

  const cvss = typeof row.cvss === 'string' ? Number(row.cvss) : row.cvss;
  if (typeof cvss === 'number' && Number.isFinite(cvss) && cvss >= 0 && cvss <= 10) {
    record.base_score = cvss;
  }
  if (typeof row.description === 'string' && row.description !== '')
    record.description = row.description;
  const published = toEpochMs(row.publishedOn);
  if (published !== undefined) record.published_on = published;
  const updated = toEpochMs(row.updatedOn);
  if (updated !== undefined) record.updated_on = updated;
  return record;
}

/**
 * A column in either spelling. Both names are written out: a closure and a derived name per
 * row and column were measurable in a 100,000-machine sync.
 */
function field(row: SoftwareVulnerabilityRow, pascal: string, camel: string): unknown {
  return row?.[pascal] ?? row?.[camel];
}
