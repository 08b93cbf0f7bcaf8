import { plural } from '../../../../shared/plural';

/** The strings of the layer picker (the `layer` parameter of Grad-CAM and its relatives). */
export const layerPickerText = {
  list: 'Layers',
  showAll: 'Show all layers',
  default: 'default',
  help: 'The feature map the method reads: earlier layers are finer but less about the class. The default is the last one before the class scores.',
  noLayers: 'This model has no spatial feature map between its input and its class scores, so CAM methods do not apply to it.',
  noMatch: (query: string) => `No layer matches "${query}".`,
  count: (shown: number, total: number) => (shown === total ? plural(total, 'layer') : `${shown} of ${plural(total, 'layer')}`),
  /** The line under the field: the chosen layer's op and shape. */
  chosen: (op: string, shape: string, isDefault: boolean) => `${op} ${shape}${isDefault ? ' · default' : ''}`,
  unavailable: (message: string) => `The model's layers could not be listed (${message}); type a tensor name instead.`,
} as const;
