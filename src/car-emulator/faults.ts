/**
 * Fault injection for the CAR emulator, so tests and demos can make each step of a CAR run
 * fail the way the service can: an import rejected, an import job in error or forgotten, an
 * unreadable status, 503s and slow answers. Faults can be replaced while the emulator runs.
 */

/** Which requests a fault applies to; `path` is a prefix after `/api/car` (e.g. `/v2/imports`). */
export interface RequestMatch {
  method?: string;
  path: string;
  /** How many matching requests the fault hits before it stops; default every one. */
  times?: number;
}

/** Import numbers count `POST /imports` calls from 1, starting when the faults were set. */
export interface EmulatorFaults {
  /** Numbers of `POST /imports` calls answered 400 `data_mal_formed`. */
  rejectImports?: number[];
  /** Numbers of `POST /imports` calls whose import job ends in error. */
  failImports?: number[];
  /** Numbers of `POST /imports` calls whose id `importstatus` then lists as not found. */
  forgetImports?: number[];
  /** `GET /importstatus` answers 200 with a body that is not JSON. */
  garbleImportStatus?: boolean;
  /** Requests answered 503. */
  unavailable?: RequestMatch[];
  /** Requests answered only after a delay. */
  delays?: (RequestMatch & { ms: number })[];
}

/** Fault state: the faults plus how often each request rule has fired. */
export class FaultPlan {
  private faults: EmulatorFaults;
  private readonly hits = new Map<object, number>();
  private imports = 0;

  constructor(faults: EmulatorFaults = {}) {
    this.faults = faults;
  }

  /** Replaces every fault and resets the counters of request rules. */
  replace(faults: EmulatorFaults): void {
    this.faults = faults;
    this.hits.clear();
    this.imports = 0;
  }

  isUnavailable(method: string, path: string): boolean {
    return this.take(this.faults.unavailable ?? [], method, path) !== undefined;
  }

  delayMs(method: string, path: string): number {
    return this.take(this.faults.delays ?? [], method, path)?.ms ?? 0;
  }

  /** Counts one `POST /imports` and returns the fault it should suffer, if any. */
  nextImportFault(): 'reject' | 'fail' | 'forget' | undefined {
    this.imports++;
    const importNumber = this.imports;
    if (this.faults.rejectImports?.includes(importNumber)) return 'reject';
    if (this.faults.failImports?.includes(importNumber)) return 'fail';
    if (this.faults.forgetImports?.includes(importNumber)) return 'forget';
    return undefined;
  }

  get garblesImportStatus(): boolean {
    return this.faults.garbleImportStatus === true;
  }

  private take<T extends RequestMatch>(rules: T[], method: string, path: string): T | undefined {
    for (const rule of rules) {
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (!path.startsWith(rule.path)) continue;
      const used = this.hits.get(rule) ?? 0;
      if (rule.times !== undefined && used >= rule.times) continue;
      this.hits.set(rule, used + 1);
      return rule;
    }
    return undefined;
  }
}
