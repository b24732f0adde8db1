/**
 * The CAR import envelope (car-service.md §2.1): `{source, report, <one collection>: [...]}`.
 * Shared by the CAR service target and the import-files target so both send the same bytes.
 */
import type {
  EdgeCollection,
  EdgeRecord,
  GraphBatch,
  VertexCollection,
  VertexRecord,
} from '../../car/types.ts';
import { EDGE_COLLECTIONS, VERTEX_COLLECTIONS } from '../../car/types.ts';

const SOURCE_DESCRIPTION = 'Microsoft Defender for Endpoint imports';
const PRODUCT_LINK = 'https://securitycenter.windows.com/';
const REPORT_TYPE = 'Microsoft Defender for Endpoint';

export interface SourceDocument {
  _key: string;
  name: string;
  description: string;
  product_link: string;
}

export interface ReportDocument {
  _key: string;
  /** Epoch milliseconds. */
  timestamp: number;
  type: string;
  description: string;
}

/** The envelope header every import carries: who reports, and which report this is. */
export interface EnvelopeHeader {
  source: SourceDocument;
  report: ReportDocument;
}

export type Envelope = EnvelopeHeader & Record<string, unknown>;

/**
 * The source and report documents of a run. The source `name` is the connection's
 * description (or its key), never the tenant id the existing connector exposed there (§6).
 */
export function envelopeHeader(input: {
  source: string;
  sourceName?: string;
  reportKey: string;
  startedAt: Date;
}): EnvelopeHeader {
  const fromKey = Number(input.reportKey);
  return {
    source: {
      _key: input.source,
      name:
        input.sourceName === undefined || input.sourceName === '' ? input.source : input.sourceName,
      description: SOURCE_DESCRIPTION,
      product_link: PRODUCT_LINK,
    },
    report: {
      _key: input.reportKey,
      timestamp: Number.isFinite(fromKey) ? fromKey : input.startedAt.getTime(),
      type: REPORT_TYPE,
      description: SOURCE_DESCRIPTION,
    },
  };
}

/** An envelope carrying one collection's records. */
export function envelopeOf(
  header: EnvelopeHeader,
  collection: string,
  records: unknown[],
): Envelope {
  return { source: header.source, report: header.report, [collection]: records };
}

/** The envelope without records that opens a full import (car-service.md §3.4 step 3). */
export function headerEnvelope(header: EnvelopeHeader): Envelope {
  return { source: header.source, report: header.report };
}

/** One collection of a batch, in the order CAR needs them: vertices first, then edges. */
export interface BatchPart {
  collection: VertexCollection | EdgeCollection;
  kind: 'vertex' | 'edge';
  records: (VertexRecord | EdgeRecord)[];
}

/**
 * The non-empty collections of a batch, vertices before edges and each in the fixed order of
 * car/types.ts, with `source`, `report` and `timestamp` filled on edges that lack them (the
 * framework's `add_edge` does the same, car-service.md §2.3).
 */
export function batchParts(batch: GraphBatch, header: EnvelopeHeader): BatchPart[] {
  const parts: BatchPart[] = [];
  for (const collection of VERTEX_COLLECTIONS) {
    const records = batch.vertices[collection];
    if (records !== undefined && records.length > 0) {
      parts.push({ collection, kind: 'vertex', records });
    }
  }
  for (const collection of EDGE_COLLECTIONS) {
    const records = batch.edges[collection];
    if (records !== undefined && records.length > 0) {
      parts.push({
        collection,
        kind: 'edge',
        records: records.map((edge) => withEdgeDefaults(edge, header)),
      });
    }
  }
  return parts;
}

function withEdgeDefaults(edge: EdgeRecord, header: EnvelopeHeader): EdgeRecord {
  return {
    ...edge,
    source: edge.source ?? header.source._key,
    report: edge.report ?? header.report._key,
    timestamp: edge.timestamp ?? header.report.timestamp,
  };
}

/** The batch with edge defaults applied, so a ledger stores exactly what was sent. */
export function normalisedBatch(batch: GraphBatch, header: EnvelopeHeader): GraphBatch {
  const edges: GraphBatch['edges'] = {};
  for (const [collection, records] of Object.entries(batch.edges) as [
    EdgeCollection,
    EdgeRecord[],
  ][]) {
    edges[collection] = records.map((edge) => withEdgeDefaults(edge, header));
  }
  return { vertices: batch.vertices, edges };
}
