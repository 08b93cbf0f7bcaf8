import type { LumenApi } from '../../../../shared/contract/api';
import type { LayerInfo } from './layer-choices';

const asked = new WeakMap<LumenApi, Map<string, Promise<LayerInfo[]>>>();

/**
 * A model's spatial feature maps (`models.layers`), for the layer picker: asked for once per model
 * and connection, however many forms need them (the engine probes the whole graph to answer). A
 * failed answer is forgotten, so the next form asks again.
 */
export function modelLayers(api: LumenApi, modelId: string): Promise<LayerInfo[]> {
  let byModel = asked.get(api);
  if (!byModel) asked.set(api, (byModel = new Map()));
  let layers = byModel.get(modelId);
  if (!layers) {
    layers = api.call('models.layers', { modelId });
    byModel.set(modelId, layers);
    layers.catch(() => byModel.delete(modelId));
  }
  return layers;
}
