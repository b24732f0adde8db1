/**
 * Defender alerts (`GET /api/alerts`, mde-api.md §2.2) → vulnerability vertices marked as
 * alerts (`properties.kind = 'alert'`), as the existing connector models them (car-service.md
 * §4.5), with an asset_vulnerability edge that is active while the alert is open. Dates are
 * epoch milliseconds (the existing connector sent seconds, §6); a missing date is left out
 * instead of failing the run; an alert on a merged machine links to the survivor (B13).
 */
import { BatchBuilder } from './batch-builder.ts';
import { redirectMachineId, type MappingContext } from './context.ts';
import type { MappedBatch, VertexRecord } from './types.ts';
import type { Alert } from '../mde/types.ts';
import { toEpochMs } from '../mde/time.ts';

/** CAR `base_score` for an alert severity, as the existing connector scores it. */
export const ALERT_BASE_SCORE: Record<string, number> = {
  high: 8,
  medium: 5,
  low: 2,
  informational: 0,
};

/** True when the alert status means the alert is closed. */
export function isResolvedStatus(status: unknown): boolean {
  return typeof status === 'string' && status.trim().toLowerCase() === 'resolved';
}

/** Maps a page of alerts; alerts without an id are skipped and counted. */
export function mapAlerts(alerts: Alert[], ctx: MappingContext): MappedBatch {
  const builder = new BatchBuilder(ctx);
  for (const alert of alerts) {
    if (typeof alert?.id !== 'string' || alert.id.trim() === '') {
      builder.skip('alert', 'missingId');
      continue;
    }
    builder.vertex('vulnerability', alertRecord(alert));

    const machineId = typeof alert.machineId === 'string' ? alert.machineId.trim() : '';
    if (machineId === '') {
      builder.count('alerts.withoutMachine');
      continue;
    }
    const target = redirectMachineId(ctx, machineId);
    if (target !== machineId) builder.count('alerts.redirectedToSurvivor');
    builder.edge('asset_vulnerability', target, alert.id, !isResolvedStatus(alert.status));
  }
  return builder.build();
}

function alertRecord(alert: Alert): VertexRecord {
  const record: VertexRecord = {
    external_id: alert.id,
    name: nonEmpty(alert.title) ?? alert.id,
    properties: {
      kind: 'alert',
      severity: alert.severity ?? null,
      status: alert.status ?? null,
      category: alert.category === 'null' ? null : (alert.category ?? null),
      detectionSource: alert.detectionSource ?? null,
      machineId: alert.machineId ?? null,
      lastUpdateTime: alert.lastUpdateTime ?? null,
      resolvedTime: alert.resolvedTime ?? null,
      mitreTechniques: Array.isArray(alert.mitreTechniques) ? alert.mitreTechniques : [],
      evidenceCount: Array.isArray(alert.evidence) ? alert.evidence.length : 0,
    },
  };

  const description = nonEmpty(alert.description);
  if (description !== undefined) record.description = description;
  const score = ALERT_BASE_SCORE[(alert.severity ?? '').toLowerCase()];
  if (score !== undefined) record.base_score = score;
  setDate(record, 'disclosed_on', alert.firstEventTime);
  setDate(record, 'published_on', alert.alertCreationTime);
  setDate(record, 'updated_on', alert.lastUpdateTime);
  return record;
}

function setDate(record: VertexRecord, field: string, value: unknown): void {
  const ms = toEpochMs(value);
  if (ms !== undefined) record[field] = ms;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
