/**
 * A parameter whose value the app can offer from the open model rather than as free text carries
 * this keyword in its schema (zod `.meta`, copied into the JSON Schema that `methods.list` sends).
 * The form picks its control by this flag, so any method with such a parameter gets it without
 * the app knowing method names.
 */
export const paramControlKey = 'x-lumen-control';

/** The controls a parameter can ask for: `layer` is a spatial feature map of the model (`models.layers`). */
export const paramControls = ['layer'] as const;
export type ParamControl = (typeof paramControls)[number];

/** The schema metadata asking for the layer picker. */
export const layerControl = { [paramControlKey]: 'layer' } as const satisfies Record<string, ParamControl>;

export function isParamControl(value: unknown): value is ParamControl {
  return typeof value === 'string' && (paramControls as readonly string[]).includes(value);
}
