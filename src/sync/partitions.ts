/**
 * How the hunting phases split the tenant so each advanced-hunting answer stays under the row
 * limit (mde-api.md §3.1: 100,000 rows) with as few calls as possible (DESIGN.md §4).
 *
 * A full run cuts devices into residue classes of `hash(DeviceId) % modulus` and asks for
 * several classes at once (`in (…)`); the group size follows the rows per class seen so far,
 * so the first answer calibrates the rest. An answer that is rejected or comes back at the limit
 * (possibly truncated) is never used: its group is halved, and a single class is split into two
 * classes of twice the modulus (r mod m = {r, r+m} mod 2m). An incremental run asks for the
 * changed device ids in chunks, halved the same way. The queue is plain JSON so a deferred run
 * stores it and resumes with the slices still to do.
 */

/** One unit of work: residue classes of one modulus, or a list of device ids. */
export type Slice = { modulus: number; residues: number[] } | { deviceIds: string[] };

/** The state of one hunting phase: what is left, and what the answers so far taught. */
export interface PartitionState {
  queue: Slice[];
  /** Rows seen per residue class (full) or per device (incremental), once measured. */
  rowsPerUnit?: number;
  unitsDone: number;
  rowsDone: number;
}

/**
 * Share of `huntingMaxRows` an answer is sized for. Hash classes of many devices vary by a
 * few percent, and the default limit (90,000) already leaves 10% below the service's cap.
 */
export const TARGET_FILL = 0.97;
/** Most device ids one query names, to keep the query text short. */
export const MAX_IDS_PER_QUERY = 2_000;

/** The initial state of a full run over `deviceCount` devices. */
export function fullPartitionState(deviceCount: number, maxRows: number): PartitionState {
  // Fine classes (at most ~1/8 of the limit at 100 rows per device) so that one class alone
  // fits even for row-heavy tables; groups of classes then fill each answer.
  const wanted = Math.ceil((Math.max(deviceCount, 1) * 100 * 8) / maxRows);
  const modulus = Math.max(16, nextPowerOfTwo(wanted));
  const residues = Array.from({ length: modulus }, (_, r) => r);
  return { queue: [{ modulus, residues }], unitsDone: 0, rowsDone: 0 };
}

/** The initial state of an incremental run over the changed device ids. */
export function deviceListState(deviceIds: string[]): PartitionState {
  const queue: Slice[] = [];
  for (let i = 0; i < deviceIds.length; i += MAX_IDS_PER_QUERY) {
    queue.push({ deviceIds: deviceIds.slice(i, i + MAX_IDS_PER_QUERY) });
  }
  return { queue, unitsDone: 0, rowsDone: 0 };
}

/**
 * Takes the next slice to ask for, sized by what has been learnt: `guessPerUnit` rows per class
 * (or per device) until an answer has been measured.
 */
export function takeNext(
  state: PartitionState,
  maxRows: number,
  guessPerUnit: number,
): Slice | undefined {
  const head = state.queue[0];
  if (!head) return undefined;
  const perUnit = Math.max(state.rowsPerUnit ?? guessPerUnit, 1e-6);
  const size = Math.max(1, Math.floor((maxRows * TARGET_FILL) / perUnit));
  if ('deviceIds' in head) {
    if (head.deviceIds.length <= size) return state.queue.shift();
    const taken = { deviceIds: head.deviceIds.slice(0, size) };
    head.deviceIds = head.deviceIds.slice(size);
    return taken;
  }
  if (head.residues.length <= size) return state.queue.shift();
  const taken = { modulus: head.modulus, residues: head.residues.slice(0, size) };
  head.residues = head.residues.slice(size);
  return taken;
}

/** Records a usable answer of `rows` rows for `slice`. */
export function recordAnswer(state: PartitionState, slice: Slice, rows: number): void {
  state.unitsDone += unitsOf(slice);
  state.rowsDone += rows;
  if (state.unitsDone > 0) state.rowsPerUnit = state.rowsDone / state.unitsDone;
}

/**
 * Puts a slice whose answer was too large back at the front of the queue in two halves, and
 * raises the estimate so the next groups are smaller. Returns false when it cannot be split (a
 * single device), which the caller reports.
 */
export function splitTooLarge(state: PartitionState, slice: Slice, maxRows: number): boolean {
  const units = unitsOf(slice);
  state.rowsPerUnit = Math.max(state.rowsPerUnit ?? 0, maxRows / Math.max(units, 1));
  if ('deviceIds' in slice) {
    if (slice.deviceIds.length < 2) return false;
    const half = Math.ceil(slice.deviceIds.length / 2);
    state.queue.unshift(
      { deviceIds: slice.deviceIds.slice(0, half) },
      { deviceIds: slice.deviceIds.slice(half) },
    );
    return true;
  }
  if (slice.residues.length >= 2) {
    const half = Math.ceil(slice.residues.length / 2);
    state.queue.unshift(
      { modulus: slice.modulus, residues: slice.residues.slice(0, half) },
      { modulus: slice.modulus, residues: slice.residues.slice(half) },
    );
    return true;
  }
  const r = slice.residues[0] ?? 0;
  const m = slice.modulus * 2;
  // The finer classes hold about half the rows each, so the estimate per class is halved.
  state.rowsPerUnit = state.rowsPerUnit / 2;
  state.queue.unshift({ modulus: m, residues: [r, r + slice.modulus] });
  return true;
}

/** Residue classes or devices in a slice. */
export function unitsOf(slice: Slice): number {
  return 'deviceIds' in slice ? slice.deviceIds.length : slice.residues.length;
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
