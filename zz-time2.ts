import { startSimulator } from './src/simulator/index.ts';
import { validateAppConfig } from './src/config/validate.ts';
import { createDefenderClient } from './src/mde/client.ts';
import { createLogger } from './src/log.ts';
import { mapMachines } from './src/car/map-machines.ts';
import { openEmbeddedStore } from './src/targets/embedded/index.ts';
import { rmSync } from 'node:fs';
const logger = createLogger({ level: 'warn' });
const sim = await startSimulator({ machines: 10000, seed: 7, quotas: false, logger });
sim.writeCaFile('/tmp/synctry/ca.pem');
const config = validateAppConfig(sim.profile({ caFile: '/tmp/synctry/ca.pem', dbPath: '/tmp/synctry/x.db' }));
const api = createDefenderClient({ configuration: config.connection.configurations[0]!, http: config.http, logger });
rmSync('/tmp/synctry/y.db', { force: true });
const store = openEmbeddedStore({ path: '/tmp/synctry/y.db', logger });
await store.beginRun({ runId: 'r1', source: 's', mode: 'full', startedAt: new Date(), reportKey: '1' });
let t = performance.now();
const lap = (m: string) => { const n = performance.now(); console.log(m, Math.round(n - t)); t = n; };
for await (const p of api.listMachines({ pageSize: 10000 })) {
  lap('machines page ' + p.items.length);
  const m = mapMachines(p.items, { source: 's', reportKey: '1', timestampMs: Date.now(), includeUnmanaged: true, mergedInto: new Map(), hostnames: new Map() });
  lap('map');
  await store.write(m.batch); lap('write');
}
await api.close(); await sim.close(); await store.close();
