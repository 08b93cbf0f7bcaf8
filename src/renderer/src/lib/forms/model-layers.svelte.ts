import type { LumenApi } from '../../../../shared/contract/api';
import type { LumenError } from '../../../../shared/errors';
import { asLumenError } from '../state/errors';
import type { LayerInfo } from './layer-choices';

/**
 * The open model's spatial feature maps (`models.layers`), for the layer picker: asked for once per
 * model, when a form first needs them (the engine probes the whole graph to answer).
 */
export class ModelLayers {
  /** The layers of `modelId`; null until they arrive (or when asking failed). */
  layers: LayerInfo[] | null = $state(null);
  error: LumenError | null = $state(null);
  private modelId: string | null = null;

  async load(api: LumenApi, modelId: string): Promise<void> {
    if (this.modelId === modelId) return;
    this.modelId = modelId;
    this.layers = null;
    this.error = null;
    try {
      const layers = await api.call('models.layers', { modelId });
      if (this.modelId === modelId) this.layers = layers;
    } catch (e) {
      // The form falls back to a text field for the tensor name; the reason is shown under it.
      if (this.modelId === modelId) this.error = asLumenError(e);
    }
  }
}
