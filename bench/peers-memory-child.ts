/**
 * Lumen's side of bench/peers.ts's memory figure, in a process of its own so that its peak RSS is
 * Lumen's alone: opens the model on the CPU, then attributes `batch` images with Integrated
 * Gradients (32 steps) through the engine's batch path (AttributionService.attributeInputs).
 *
 *   node --import tsx bench/peers-memory-child.ts MODEL.onnx BATCH STEPS
 *
 * Prints one JSON line: { ms, startMiB (RSS with the model open), peakMiB (max RSS) }.
 */
import { createApi } from '../src/shared/contract/api';
import { PortTransport } from '../src/shared/contract/port-transport';
import { localEnginePort } from '../src/main/engine-host/local-engine';
import { benchImage } from './peer-cases';

const [path, batchText, stepsText] = process.argv.slice(2) as [string, string, string];
const mib = (bytes: number): number => bytes / 2 ** 20;

const local = localEnginePort({ graphCacheDir: null });
const api = createApi(new PortTransport(local.port));
const opened = await api.call('models.open', { path, executionProvider: 'cpu', card: { preprocess: { resize: { mode: 'stretch' } } } });
const loaded = local.engine.models.get(opened.id);
const images = Array.from({ length: Number(batchText) }, (_, b) => benchImage(b));
const startMiB = mib(process.memoryUsage().rss);
const t0 = performance.now();
const maps = await local.engine.attributions.attributeInputs(loaded, images, 'integrated-gradients', 3, { steps: Number(stepsText), stepRule: 'gauss-legendre' }, {});
const ms = performance.now() - t0;
if (maps.length !== images.length) throw new Error(`expected ${images.length} maps, got ${maps.length}`);
console.log(JSON.stringify({ ms, startMiB, peakMiB: mib(process.resourceUsage().maxRSS * 1024) }));
await local.close();
