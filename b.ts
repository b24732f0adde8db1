import { benchmarkEmbeddedWrite } from './src/targets/embedded/bench-write.ts';
import { silentLogger } from './src/log.ts';
const r = await benchmarkEmbeddedWrite({ assets: Number(process.argv[2] ?? 100000), logger: silentLogger() });
console.log(JSON.stringify(r));
