/**
 * `npm run bench [-- name ...]`: every benchmark (or the named ones), each printing ratios against a
 * baseline from the same run.
 */
import { benchClassify } from './classify';
import { benchIgVsTorch } from './ig-vs-torch';
import { benchPerturbation } from './perturbation';
import { benchRegions } from './regions';
import { benchMetrics } from './metrics';
import { benchAudit } from './audit';
import { benchModelLoad } from './model-load';
import { benchDicom } from './dicom';
import { benchHeatmap } from './heatmap';
import { benchPeers } from './peers';
import { benchHospital } from './hospital';
import { benchSinglePass } from './single-pass';
import { benchAttentionMethods } from './attention-methods';
import { benchGraphProfile } from './graph-profile';

const benchmarks: Record<string, () => Promise<void>> = {
  classify: () => benchClassify(),
  'ig-resnet18': () => benchIgVsTorch('resnet18'),
  // ViT-B/16 takes about a minute per 32 passes on two cores: two repeats.
  'ig-vitb16': () => benchIgVsTorch('vit_b_16', 2),
  perturbation: () => benchPerturbation(),
  regions: () => benchRegions(),
  metrics: () => benchMetrics(),
  audit: () => benchAudit(),
  'model-load': () => benchModelLoad(),
  dicom: () => benchDicom(),
  heatmap: () => benchHeatmap(),
  // Every method against its fastest peer; LUMEN_BENCH_MODELS / _METHODS / _BATCHES / _REPEAT / _MEMORY narrow it.
  peers: () => benchPeers(),
  // 100,000 images by default (LUMEN_BENCH_HOSPITAL_IMAGES to shrink): a few minutes.
  hospital: () => benchHospital(),
  'single-pass': () => benchSinglePass(),
  // onnxruntime's kernel times in the gradient graph: forward, backward and layout changes, by operator.
  'graph-profile': () => benchGraphProfile(),
  // Attention rollout, generic attention and transformer attribution on ViT-B/16 against a forward pass.
  attention: () => benchAttentionMethods(),
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Choose from: ${Object.keys(benchmarks).join(', ')}.`);
  process.exit(2);
}
for (const [name, run] of Object.entries(benchmarks)) if (wanted.length === 0 || wanted.includes(name)) await run();
