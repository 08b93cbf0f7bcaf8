import { describe, expect, it } from 'vitest';
import { schemaFields, type FieldDescriptor } from '../../../../src/renderer/src/lib/forms/schema-fields';
import { allowedText, checkJson, initialRaw, rangeText, validateFields } from '../../../../src/renderer/src/lib/forms/validate-fields';
import { allSchemas, methodSchema, methodZod, metricSchema, metricZod } from '../../helpers/catalogue-schemas';

function field(fields: FieldDescriptor[], name: string): FieldDescriptor {
  const f = fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name}`);
  return f;
}

describe('validateFields: defaults', () => {
  it('sends nothing when every field is left at its default, for every catalogue schema', () => {
    for (const { id, schema } of allSchemas()) {
      const fields = schemaFields(schema);
      const state = validateFields(fields, initialRaw(fields));
      expect(state, id).toEqual({ params: {}, errors: {}, valid: true });
    }
  });

  it('omits values typed equal to the default, sends the others', () => {
    const fields = schemaFields(methodSchema('integrated-gradients'));
    const raw = { ...initialRaw(fields), steps: '50', objective: 'logit', blurSigma: '2.5', stepRule: 'riemann-left' };
    const state = validateFields(fields, raw);
    expect(state.valid).toBe(true);
    expect(state.params).toEqual({ blurSigma: 2.5, stepRule: 'riemann-left' });
  });

  it('what it sends is what the engine’s zod schema accepts', () => {
    const fields = schemaFields(methodSchema('xrai'));
    const raw = { ...initialRaw(fields), steps: '32', scales: '[100, 200]', algorithm: 'fast', areaThreshold: '0.25', segments: 'my/segments.NPY', baseParams: '{"baseline": "black"}' };
    const state = validateFields(fields, raw);
    expect(state.errors).toEqual({});
    expect(state.params).toEqual({ steps: 32, scales: [100, 200], algorithm: 'fast', areaThreshold: 0.25, segments: 'my/segments.NPY', baseParams: { baseline: 'black' } });
    expect(methodZod('xrai').safeParse(state.params).success).toBe(true);
  });
});

describe('validateFields: numbers', () => {
  const fields = schemaFields(methodSchema('integrated-gradients'));
  const base = initialRaw(fields);

  it('rejects integers out of range or with decimals, saying what is allowed', () => {
    expect(validateFields(fields, { ...base, steps: '1' })).toMatchObject({ valid: false, errors: { steps: 'Steps must be an integer between 2 and 4096.' } });
    expect(validateFields(fields, { ...base, steps: '5000' }).errors['steps']).toBe('Steps must be an integer between 2 and 4096.');
    expect(validateFields(fields, { ...base, steps: '2.5' }).errors['steps']).toBe('Steps must be an integer between 2 and 4096.');
  });

  it('rejects text that is not a number', () => {
    expect(validateFields(fields, { ...base, steps: 'ten' }).errors['steps']).toBe('Steps is not a number: it must be an integer between 2 and 4096.');
    expect(validateFields(fields, { ...base, blurSigma: '0,5' }).errors['blurSigma']).toBe('Blur sigma is not a number: it must be a number greater than 0 and at most 1000.');
    expect(validateFields(fields, { ...base, blurSigma: 'Infinity' }).valid).toBe(false);
    // A number input hides what it cannot parse: the control reports it as bad input.
    expect(validateFields(fields, { ...base, steps: '' }, { badInput: ['steps'] }).errors['steps']).toMatch(/^Steps is not a number/);
  });

  it('applies exclusive bounds', () => {
    expect(validateFields(fields, { ...base, blurSigma: '0' }).errors['blurSigma']).toBe('Blur sigma must be a number greater than 0 and at most 1000.');
    const rise = schemaFields(methodSchema('rise'));
    const raw = initialRaw(rise);
    expect(validateFields(rise, { ...raw, probability: '1' }).errors['probability']).toBe('Probability must be a number greater than 0 and less than 1.');
    expect(validateFields(rise, { ...raw, probability: '0.3' }).params).toEqual({ probability: 0.3 });
  });

  it('accepts scientific notation and surrounding spaces', () => {
    const smooth = schemaFields(methodSchema('smoothgrad'));
    expect(validateFields(smooth, { ...initialRaw(smooth), noiseStd: ' 1e-2 ' }).params).toEqual({ noiseStd: 0.01 });
    expect(validateFields(smooth, { ...initialRaw(smooth), noiseStd: '-1' }).errors['noiseStd']).toBe('Noise std must be a number at least 0.');
  });
});

describe('validateFields: enums, strings, booleans, JSON', () => {
  it('enums must be one of the options', () => {
    const fields = schemaFields(methodSchema('lime'));
    const state = validateFields(fields, { ...initialRaw(fields), featureSelection: 'best' });
    expect(state.errors['featureSelection']).toBe('Feature selection must be one of auto, forward-selection, highest-weights, lasso-path or none.');
  });

  it('a name-or-file union takes a listed name or a .npy file, and says so', () => {
    const fields = schemaFields(methodSchema('lime'));
    const base = initialRaw(fields);
    expect(validateFields(fields, { ...base, hide: 'black' }).params).toEqual({ hide: 'black' });
    expect(validateFields(fields, { ...base, hide: 'data/mean.npy' }).params).toEqual({ hide: 'data/mean.npy' });
    expect(validateFields(fields, { ...base, hide: 'grey' }).errors['hide']).toBe('Hide must be one of mean, zeros, black, white, blurred or a .npy file.');
    const ig = schemaFields(methodSchema('integrated-gradients'));
    expect(validateFields(ig, { ...initialRaw(ig), baselines: 'b.png' }).errors['baselines']).toBe('Baselines must be a .npy file.');
  });

  it('booleans are sent only when they differ from the default', () => {
    const fields = schemaFields(metricSchema('faithfulness-correlation'));
    const base = initialRaw(fields);
    expect(base['normalise']).toBe(true);
    expect(validateFields(fields, base).params).toEqual({});
    expect(validateFields(fields, { ...base, normalise: false, absolute: true }).params).toEqual({ normalise: false, absolute: true });
    expect(metricZod('faithfulness-correlation').safeParse({ normalise: false, absolute: true }).success).toBe(true);
  });

  it('JSON fields report parse errors and check the value against the sub-schema', () => {
    const fields = schemaFields(metricSchema('sensitivity-n'));
    const base = initialRaw(fields);
    expect(validateFields(fields, { ...base, fractions: '[0.1, 0.2' }).errors['fractions']).toMatch(/^Fractions is not valid JSON: .+\.$/);
    expect(validateFields(fields, { ...base, fractions: '[0.1, 1.5]' }).errors['fractions']).toBe('Fractions item 2 must be a number greater than 0 and less than 1.');
    expect(validateFields(fields, { ...base, fractions: '[]' }).errors['fractions']).toBe('Fractions must have at least one item.');
    expect(validateFields(fields, { ...base, fractions: '0.1' }).errors['fractions']).toBe('Fractions must be a list […].');
    expect(validateFields(fields, { ...base, fractions: '[0.1, 0.5]' }).params).toEqual({ fractions: [0.1, 0.5] });
    // The default, typed out, is left out.
    expect(validateFields(fields, { ...base, fractions: '[0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.8]' }).params).toEqual({});
  });

  it('object JSON fields must be objects', () => {
    const fields = schemaFields(methodSchema('smoothgrad'));
    expect(validateFields(fields, { ...initialRaw(fields), baseParams: '[1]' }).errors['baseParams']).toBe('Base params must be an object {…}.');
  });

  it('required fields without a default must be filled', () => {
    const fields = schemaFields({ type: 'object', required: ['layer', 'on'], properties: { layer: { type: 'string', minLength: 1 }, on: { type: 'boolean' } } });
    const state = validateFields(fields, initialRaw(fields));
    expect(state.errors).toEqual({ layer: 'Layer is required.' });
    expect(validateFields(fields, { layer: 'conv5', on: false }).params).toEqual({ layer: 'conv5', on: false });
  });
});

describe('initialRaw', () => {
  it('fills controls from given params, defaults otherwise', () => {
    const fields = schemaFields(methodSchema('xrai'));
    const raw = initialRaw(fields, { steps: 10, scales: [10, 20], algorithm: 'fast' });
    expect(raw).toMatchObject({ steps: '10', scales: '[10,20]', algorithm: 'fast', objective: 'logit', sigma: '', baseParams: '' });
    expect(validateFields(fields, raw).params).toEqual({ steps: 10, scales: [10, 20], algorithm: 'fast' });
  });
});

describe('help texts', () => {
  it('describe ranges and shapes', () => {
    const ig = schemaFields(methodSchema('integrated-gradients'));
    expect(allowedText(field(ig, 'steps'))).toBe('Whole number, between 2 and 4096.');
    expect(allowedText(field(ig, 'blurSigma'))).toBe('Number, greater than 0 and at most 1000.');
    expect(allowedText(field(ig, 'baseline'))).toBe('Allowed: zeros, black, white, uniform-noise, blurred or a .npy file.');
    expect(allowedText(field(ig, 'objective'))).toBeUndefined();
    const xrai = schemaFields(methodSchema('xrai'));
    expect(allowedText(field(xrai, 'scales'))).toBe('JSON: a list of numbers greater than 0 and at most 100000, 1 to 16 items.');
    expect(rangeText({})).toBe('');
    expect(rangeText({ maximum: 3 })).toBe('at most 3');
  });

  it('checkJson handles unions, enums, unknown keys', () => {
    expect(checkJson('x', { anyOf: [{ type: 'number' }, { type: 'boolean' }] })).toBe('must be a number or a boolean');
    expect(checkJson(5, { anyOf: [{ type: 'number', maximum: 3 }, { type: 'boolean' }] })).toBe('must be a number at most 3');
    expect(checkJson('c', { enum: ['a', 'b'] })).toBe('must be one of a or b');
    expect(checkJson({ a: 1, b: 2 }, { type: 'object', properties: { a: { type: 'number' } }, additionalProperties: false })).toBe('has an unknown key "b"');
    expect(checkJson({ a: 'x' }, { type: 'object', properties: { a: { type: 'number' } } })).toBe('"a" must be a number');
  });
});
