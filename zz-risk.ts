import { openEmbeddedStore } from './src/targets/embedded/index.ts';
import { silentLogger } from './src/log.ts';
const s = openEmbeddedStore({ path: './data/demo.db', logger: silentLogger() });
let t = performance.now();
const r = await s.riskInputs('mde-simulator', 'all');
console.log('riskInputs', r.length, Math.round(performance.now() - t)); t = performance.now();
await s.close();
