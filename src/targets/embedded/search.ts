/**
 * The Data Explorer query over the embedded store: which assets hold an IP address, MAC or host
 * name now (active edge, asset not disabled) and which held it before (inactive edge or
 * disabled asset), with first and last seen.
 *
 * Host names: the input matches a stored host name exactly (case-insensitive) and, when the
 * input has no dot, also every stored FQDN whose first label it is (`desktop-01` finds
 * `desktop-01.contoso.com`). An FQDN input does not match a stored short name.
 *
 * Vertices are found by their key through the identity index, one source at a time.
 */
import type { Database, Statement } from 'better-sqlite3';
import { parseSearchInput } from '../../car/search-input.ts';
import type { HolderRecord, SearchKind, SearchResult } from '../../car/search-types.ts';
import type { AssetReader } from './asset-reader.ts';

const VERTEX_BY_KIND: Record<SearchKind, { vertex: string; edge: string }> = {
  ip: { vertex: 'ipaddress', edge: 'asset_ipaddress' },
  mac: { vertex: 'macaddress', edge: 'asset_macaddress' },
  host: { vertex: 'hostname', edge: 'asset_hostname' },
};

interface HolderRow {
  source: string;
  asset_id: string;
  active: number;
  first_reported: number;
  last_reported: number;
  last_active_at: number | null;
}

interface VertexMatch {
  vid: number;
  source: string;
  id: string;
}

/** Prepared search queries over one store. */
export class StoreSearch {
  private readonly sources: Statement;
  private readonly exact: Statement;
  private readonly between: Statement;
  private readonly holders: Statement;

  constructor(
    db: Database,
    private readonly assets: AssetReader,
  ) {
    // The identity index leads with the source, so each source is looked up on its own.
    this.sources = db
      .prepare(
        `WITH RECURSIVE s(source) AS (
           SELECT min(source) FROM vertices
           UNION ALL
           SELECT (SELECT min(source) FROM vertices WHERE source > s.source) FROM s
           WHERE s.source IS NOT NULL)
         SELECT source FROM s WHERE source IS NOT NULL`,
      )
      .pluck();
    this.exact = db.prepare(
      `SELECT vid, source, id FROM vertices
       WHERE source = ? AND collection = ? AND id = ? AND deleted = 0 AND data IS NOT NULL`,
    );
    this.between = db.prepare(
      `SELECT vid, source, id FROM vertices
       WHERE source = ? AND collection = ? AND id > ? AND id < ? AND deleted = 0
         AND data IS NOT NULL`,
    );
    this.holders = db.prepare(
      `SELECT f.source, f.id AS asset_id, e.active, e.first_reported, e.last_reported, e.last_active_at
       FROM edges e CROSS JOIN vertices f ON f.vid = e.from_vid
       WHERE e.to_vid = ? AND e.kind = (SELECT kind FROM edge_kinds WHERE collection = ?)`,
    );
  }

  /** Searches; throws SEARCH_INPUT_INVALID for malformed input. */
  search(kind: SearchKind, value: string, options: { source?: string } = {}): SearchResult {
    const input = parseSearchInput(kind, value);
    const result: SearchResult = {
      kind: input.kind,
      query: input.query,
      canonical: input.canonical,
      current: [],
      past: [],
    };
    if (input.note !== undefined) result.note = input.note;
    if (!input.searchable) return result;

    const { vertex, edge } = VERTEX_BY_KIND[input.kind];
    const matches = this.matchingVertices(vertex, input.kind, input.canonical, options.source);
    const rows = matches.flatMap((match) => this.holders.all(match.vid, edge) as HolderRow[]);
    this.collectHolders(rows, result);
    return result;
  }

  /**
   * Vertices whose key is the canonical input (addresses and host names are keyed by their
   * canonical text). A link-local address is keyed per asset (`fe80::1%<asset>`), so an IP also
   * matches the keys that add a zone to it; a host name without a dot also matches every FQDN
   * whose first label it is.
   */
  private matchingVertices(
    vertex: string,
    kind: SearchKind,
    canonical: string,
    source: string | undefined,
  ): VertexMatch[] {
    // Keys that extend the input sort between `<input><mark>` and the character after mark.
    const mark = kind === 'ip' ? '%' : kind === 'host' && !canonical.includes('.') ? '.' : '';
    const after = mark === '' ? '' : String.fromCharCode(mark.charCodeAt(0) + 1);
    const sources = source === undefined ? (this.sources.all() as string[]) : [source];
    const matches: VertexMatch[] = [];
    for (const from of sources) {
      matches.push(...(this.exact.all(from, vertex, canonical) as VertexMatch[]));
      if (mark === '') continue;
      const extended = this.between.all(from, vertex, canonical + mark, canonical + after);
      matches.push(...(extended as VertexMatch[]));
    }
    return matches;
  }

  /** One holder per asset: current when any matching edge is active and the asset is live. */
  private collectHolders(rows: HolderRow[], result: SearchResult): void {
    const byAsset = new Map<
      string,
      { source: string; id: string; active: boolean; first: number; last: number }
    >();
    for (const row of rows) {
      const key = `${row.source}\u0000${row.asset_id}`;
      const lastSeen =
        row.active === 1 ? row.last_reported : (row.last_active_at ?? row.last_reported);
      const previous = byAsset.get(key);
      byAsset.set(key, {
        source: row.source,
        id: row.asset_id,
        active: row.active === 1 || previous?.active === true,
        first: Math.min(previous?.first ?? Infinity, row.first_reported),
        last: Math.max(previous?.last ?? -Infinity, lastSeen),
      });
    }

    for (const holder of byAsset.values()) {
      const asset = this.assets.summary(holder.source, holder.id);
      if (!asset) continue;
      const record: HolderRecord = {
        asset,
        firstSeen: new Date(holder.first).toISOString(),
        lastSeen: new Date(holder.last).toISOString(),
      };
      if (holder.active && asset.lifecycle !== 'disabled') result.current.push(record);
      else result.past.push(record);
    }
    result.current.sort(byRiskThenName);
    result.past.sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));
  }
}

/** Riskiest first (unknown risk first of all: it is the one nobody watches), then by name. */
function byRiskThenName(a: HolderRecord, b: HolderRecord): number {
  const score = (h: HolderRecord): number =>
    h.asset.risk.score === null ? 11 : h.asset.risk.score;
  return score(b) - score(a) || (a.asset.name ?? '').localeCompare(b.asset.name ?? '');
}
