/** `npm run bench`: every benchmark, each printing ratios against a baseline from the same run. */
import { benchClassify } from './classify';
import { benchIgResnet18 } from './ig-resnet18';
import { benchPerturbation } from './perturbation';
import { benchRegions } from './regions';
import { benchMetrics } from './metrics';
import { benchAudit } from './audit';

await benchClassify();
await benchIgResnet18();
await benchPerturbation();
await benchRegions();
await benchMetrics();
await benchAudit();
