/**
 * Collects the vertices and edges of one mapping call, de-duplicated by identity (vertices by
 * `_key` or `external_id`, edges by collection and both ends), with skip reasons and counters.
 */
import type { MappingContext } from './context.ts';
import { EdgeTable } from './edge-table.ts';
import { edgeEnds, stampedEdge } from './edges.ts';
import {
  KEY_COLLECTIONS,
  type EdgeCollection,
  type EdgeRecord,
  type MappedBatch,
  type SkipReason,
  type VertexCollection,
  type VertexRecord,
} from './types.ts';

/** Accumulates one `MappedBatch`; mapping functions own one each. */
export class BatchBuilder {
  private readonly vertices = new Map<VertexCollection, Map<string, VertexRecord>>();
  private readonly edges = new Map<EdgeCollection, EdgeTable>();
  private readonly skipped: SkipReason[] = [];
  private readonly counters: Record<string, number> = {};

  constructor(private readonly ctx: MappingContext) {}

  /** Adds a vertex; a second record with the same identity merges into the first. */
  vertex(collection: VertexCollection, record: VertexRecord): void {
    const id = KEY_COLLECTIONS.has(collection) ? record._key : record.external_id;
    if (id === undefined) return;

    let byId = this.vertices.get(collection);
    if (!byId) {
      byId = new Map();
      this.vertices.set(collection, byId);
    }
    const previous = byId.get(id);
    if (!previous) {
      byId.set(id, record);
      return;
    }
    // Shared vertices (an OS, a NAT address) repeat thousands of times with the same fields.
    if (addsNothing(previous, record)) return;
    const merged: VertexRecord = { ...previous, ...record };
    if (previous.properties || record.properties) {
      merged.properties = { ...previous.properties, ...record.properties };
    }
    byId.set(id, merged);
  }

  /**
   * Adds an edge between two plain ids with the run's source, report and timestamp. When the
   * same edge is added twice, it stays active if either record was active.
   */
  edge(
    collection: EdgeCollection,
    fromId: string,
    toId: string,
    active = true,
    extra?: Record<string, unknown>,
  ): void {
    let table = this.edges.get(collection);
    if (!table) {
      table = new EdgeTable();
      this.edges.set(collection, table);
    }
    const at = table.indexOf(fromId, toId);
    const isActive = active || (at !== undefined && table.records[at]!.active === true);
    const record =
      extra === undefined
        ? stampedEdge(collection, fromId, toId, isActive, this.ctx)
        : this.extendedEdge(collection, fromId, toId, isActive, extra);
    if (at === undefined) table.add(fromId, toId, record);
    else table.records[at] = record;
  }

  private extendedEdge(
    collection: EdgeCollection,
    fromId: string,
    toId: string,
    active: boolean,
    extra: Record<string, unknown>,
  ): EdgeRecord {
    const record = edgeEnds(collection, fromId, toId);
    Object.assign(record, extra);
    record.active = active;
    record.source = this.ctx.source;
    record.report = this.ctx.reportKey;
    record.timestamp = this.ctx.timestampMs;
    return record;
  }

  /** Adds one to a named counter (`ipDropped.placeholder`, ...). */
  count(name: string, by = 1): void {
    this.counters[name] = (this.counters[name] ?? 0) + by;
  }

  /** Records a record that could not be mapped; the reason is also counted. */
  skip(entity: string, reason: string, id?: string): void {
    this.skipped.push(id === undefined ? { entity, reason } : { entity, reason, id });
    this.count(`skipped.${entity}.${reason}`);
  }

  /** The finished batch. */
  build(): MappedBatch {
    const batch: MappedBatch['batch'] = { vertices: {}, edges: {} };
    for (const [collection, byId] of this.vertices) batch.vertices[collection] = [...byId.values()];
    for (const [collection, table] of this.edges) batch.edges[collection] = [...table.records];
    return { batch, skipped: this.skipped, counters: this.counters };
  }
}

/**
 * True when every field of `record` (and of its properties) already has that value. Loops
 * over own keys without `Object.entries`, whose pair arrays were a large share of the garbage.
 */
function addsNothing(previous: VertexRecord, record: VertexRecord): boolean {
  for (const field in record) {
    if (field === 'properties' || !Object.hasOwn(record, field)) continue;
    if (previous[field] !== record[field]) return false;
  }
  const properties = record.properties;
  if (properties === undefined || properties === null) return true;
  const previousProperties = previous.properties;
  for (const name in properties) {
    if (!Object.hasOwn(properties, name)) continue;
    if (previousProperties?.[name] !== properties[name]) return false;
  }
  return true;
}

/** Merges several mapped batches into one (vertices and edges concatenated, counters added). */
export function mergeMapped(parts: MappedBatch[]): MappedBatch {
  const merged: MappedBatch = { batch: { vertices: {}, edges: {} }, skipped: [], counters: {} };
  const append = <T>(into: Partial<Record<string, T[]>>, from: Partial<Record<string, T[]>>) => {
    for (const [collection, records] of Object.entries(from)) {
      if (!records || records.length === 0) continue;
      const list = (into[collection] ??= []);
      for (const record of records) list.push(record);
    }
  };
  for (const part of parts) {
    append(merged.batch.vertices, part.batch.vertices);
    append(merged.batch.edges, part.batch.edges);
    for (const skip of part.skipped) merged.skipped.push(skip);
    for (const [name, value] of Object.entries(part.counters)) {
      merged.counters[name] = (merged.counters[name] ?? 0) + value;
    }
  }
  return merged;
}
