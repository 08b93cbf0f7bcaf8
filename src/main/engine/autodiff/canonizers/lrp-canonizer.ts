import { composeCanonizers } from './compose';
import { foldBatchNorm } from './fold-batchnorm';
import { foldConstants } from './fold-constants';

/**
 * What LRP rule sets rewrite before compiling: constants behind Identity, Cast, Constant and
 * reshapes become initializers (so that rules and BatchNorm folding see every weight and bias),
 * then BatchNormalization is merged into the convolution before it.
 */
export const lrpCanonizer = composeCanonizers(foldConstants, (model) => foldBatchNorm(model));
