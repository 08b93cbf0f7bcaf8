import { z } from 'zod';
import { ObjectiveParam } from './common-params';
import { layerControl } from './param-controls';

const LayerParam = z
  .string()
  .min(1)
  .optional()
  .describe(
    'ONNX tensor name of the feature map or transformer token layer (see `lumen layers`); default: the last spatial feature map before the class scores, or in a transformer the last token layer whose patch tokens reach them.',
  )
  .meta(layerControl);

const ReluParam = z.boolean().default(true).describe('Keep only positive evidence (ReLU of the map), as the Grad-CAM paper does.');

export const GradCamParams = z.object({ layer: LayerParam, objective: ObjectiveParam, relu: ReluParam }).strict();

export const ScoreCamParams = z.object({ layer: LayerParam, objective: ObjectiveParam, relu: ReluParam }).strict();

export const CamParams = z.object({ relu: ReluParam }).strict();

export const GuidedGradCamParams = z.object({ layer: LayerParam, objective: ObjectiveParam }).strict();
