/** The ground-truth files the CLI reads (--boxes, --mask) are read as the engine reads dataset sidecars. */
export { readBoxes, readMask } from '../engine/metrics/ground-truth-files';
