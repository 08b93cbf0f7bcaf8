import { describe, expect, it } from 'vitest';
import { labelFromName, schemaFields, boundsOf, type FieldDescriptor } from '../../../../src/renderer/src/lib/forms/schema-fields';
import { allSchemas, methodSchema, metricSchema } from '../../helpers/catalogue-schemas';

function byName(fields: FieldDescriptor[], name: string): FieldDescriptor {
  const f = fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name} in ${fields.map((x) => x.name).join(', ')}`);
  return f;
}

describe('labelFromName', () => {
  it('turns camelCase, snake_case and kebab-case into a sentence-case label', () => {
    expect(labelFromName('steps')).toBe('Steps');
    expect(labelFromName('noiseStd')).toBe('Noise std');
    expect(labelFromName('minPixelDiff')).toBe('Min pixel diff');
    expect(labelFromName('blur_sigma')).toBe('Blur sigma');
    expect(labelFromName('feature-selection')).toBe('Feature selection');
    expect(labelFromName('useHOG')).toBe('Use HOG');
  });
});

describe('schemaFields on the engine’s schemas', () => {
  it('Integrated Gradients: integer steps with bounds and default, enums, a name-or-file union, an optional file', () => {
    const fields = schemaFields(methodSchema('integrated-gradients'));
    expect(fields.map((f) => f.name)).toEqual(['objective', 'steps', 'stepRule', 'baseline', 'baselines', 'blurSigma', 'seed']);

    const steps = byName(fields, 'steps');
    expect(steps).toMatchObject({ kind: 'integer', label: 'Steps', minimum: 2, maximum: 4096, step: 1, hasDefault: true, default: 50, required: false });
    expect(steps.description).toBe('Number of points on the integration path.');

    expect(byName(fields, 'objective')).toMatchObject({ kind: 'enum', options: ['logit', 'probability', 'log-probability', 'sigmoid'], default: 'logit' });
    expect(byName(fields, 'stepRule')).toMatchObject({ kind: 'enum', default: 'gauss-legendre', label: 'Step rule' });

    // "zeros | black | … or a .npy file" is a string with suggestions and a pattern, not raw JSON.
    expect(byName(fields, 'baseline')).toMatchObject({
      kind: 'string',
      suggestions: ['zeros', 'black', 'white', 'uniform-noise', 'blurred'],
      patterns: ['\\.npy$'],
      free: false,
      default: 'zeros',
    });
    expect(byName(fields, 'baselines')).toMatchObject({ kind: 'string', suggestions: [], patterns: ['\\.npy$'], hasDefault: false, required: false });

    // z.number().positive() is an exclusive minimum.
    const blur = byName(fields, 'blurSigma');
    expect(blur).toMatchObject({ kind: 'number', exclusiveMinimum: 0, maximum: 1000, step: 'any', default: 10 });
    expect(blur).not.toHaveProperty('minimum');
    expect(byName(fields, 'seed')).toMatchObject({ kind: 'integer', minimum: 0, maximum: 2 ** 31 - 1, default: 0 });
  });

  it('SmoothGrad: optional number without default, free string, nested object as JSON', () => {
    const fields = schemaFields(methodSchema('smoothgrad'));
    expect(byName(fields, 'noiseStd')).toMatchObject({ kind: 'number', minimum: 0, hasDefault: false });
    expect(byName(fields, 'noiseStd')).not.toHaveProperty('maximum');
    expect(byName(fields, 'noiseFraction')).toMatchObject({ kind: 'number', minimum: 0, maximum: 10, default: 0.15 });
    expect(byName(fields, 'base')).toMatchObject({ kind: 'string', free: true, hasDefault: false });
    expect(byName(fields, 'baseParams')).toMatchObject({ kind: 'json', default: {} });
  });

  it('LIME: enum feature selection, a union with default, booleans absent, integers', () => {
    const fields = schemaFields(methodSchema('lime'));
    expect(byName(fields, 'featureSelection')).toMatchObject({ kind: 'enum', options: ['auto', 'forward-selection', 'highest-weights', 'lasso-path', 'none'] });
    expect(byName(fields, 'hide')).toMatchObject({ kind: 'string', suggestions: ['mean', 'zeros', 'black', 'white', 'blurred'], default: 'mean' });
    expect(byName(fields, 'segmentation')).toMatchObject({ kind: 'string', suggestions: ['slic', 'felzenszwalb'] });
    expect(byName(fields, 'kernelWidth')).toMatchObject({ kind: 'number', exclusiveMinimum: 0, maximum: 100 });
    expect(byName(fields, 'stability')).toMatchObject({ kind: 'integer', minimum: 1, maximum: 20, default: 1 });
  });

  it('XRAI: a list of numbers falls back to JSON; optional exclusive bounds', () => {
    const fields = schemaFields(methodSchema('xrai'));
    expect(byName(fields, 'scales')).toMatchObject({ kind: 'json', default: [50, 100, 150, 250, 500, 1200] });
    expect(byName(fields, 'areaThreshold')).toMatchObject({ kind: 'number', exclusiveMinimum: 0, maximum: 1, hasDefault: false });
    expect(byName(fields, 'algorithm')).toMatchObject({ kind: 'enum', options: ['full', 'fast'] });
  });

  it('metrics: booleans, exclusive maxima, a seed with its own default', () => {
    const fc = schemaFields(metricSchema('faithfulness-correlation'));
    expect(byName(fc, 'normalise')).toMatchObject({ kind: 'boolean', default: true });
    expect(byName(fc, 'absolute')).toMatchObject({ kind: 'boolean', default: false });
    expect(byName(schemaFields(methodSchema('rise')), 'probability')).toMatchObject({ kind: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 });
    expect(byName(schemaFields(metricSchema('sanity-checks')), 'seed')).toMatchObject({ kind: 'integer', default: 42 });
    expect(byName(schemaFields(metricSchema('deletion')), 'stepFraction')).toMatchObject({ kind: 'number', exclusiveMinimum: 0, maximum: 0.5 });
  });

  it('gives every catalogue field a label and a description, and uses JSON only for lists and objects', () => {
    for (const { id, schema } of allSchemas()) {
      for (const f of schemaFields(schema)) {
        expect(f.label, `${id}.${f.name}`).toMatch(/^[A-Z]/);
        expect(f.description, `${id}.${f.name} has help text`).toBeTruthy();
        if (f.kind === 'json') expect(['array', 'object'], `${id}.${f.name}`).toContain(f.schema['type']);
      }
    }
  });
});

describe('schemaFields on hand-written schemas', () => {
  it('reads required, titles, const unions, draft-4 exclusives and mixed unions', () => {
    const fields = schemaFields({
      type: 'object',
      required: ['layer'],
      properties: {
        layer: { type: 'string', minLength: 1, title: 'Layer name' },
        size: { anyOf: [{ const: 1 }, { const: 2 }, { const: 4 }], default: 2 },
        gain: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 5 },
        anything: { anyOf: [{ type: 'number' }, { type: 'string' }] },
        nullable: { type: ['number', 'null'] },
        big: { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 },
        empty: {},
      },
    });
    expect(byName(fields, 'layer')).toMatchObject({ kind: 'string', required: true, label: 'Layer name', minLength: 1, free: true });
    expect(byName(fields, 'size')).toMatchObject({ kind: 'enum', options: [1, 2, 4], default: 2 });
    expect(byName(fields, 'gain')).toMatchObject({ kind: 'number', exclusiveMinimum: 0, maximum: 5 });
    expect(byName(fields, 'anything').kind).toBe('json');
    expect(byName(fields, 'nullable').kind).toBe('json');
    expect(byName(fields, 'empty').kind).toBe('json');
    // zod's "any safe integer" bounds are not shown as limits.
    expect(boundsOf(byName(fields, 'big').schema)).toEqual({});
  });

  it('gives no fields for a schema without properties', () => {
    expect(schemaFields({ type: 'object', properties: {} })).toEqual([]);
    expect(schemaFields({})).toEqual([]);
    expect(schemaFields(undefined)).toEqual([]);
  });
});
