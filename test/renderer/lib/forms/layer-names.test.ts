import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { filterLayerChoices, layerChoices, type LayerInfo } from '../../../../src/renderer/src/lib/forms/layer-choices';
import { layerShapeText, shortLayerNames } from '../../../../src/renderer/src/lib/forms/layer-names';

/** `lumen layers --model <default MobileNetV2> --json`, as the engine answers `models.layers`: TensorFlow names with fused ops after ";". */
const mobilenet = JSON.parse(readFileSync('test/fixtures/layers/mobilenet-v2.json', 'utf8')) as LayerInfo[];

const layer = (name: string, op = 'Conv'): { name: string; op: string } => ({ name, op });

describe('short layer names', () => {
  it('elides the scope and ending every PyTorch name shares, and scopes that repeat their parent', () => {
    const names = ['/conv1/Conv_output_0', '/relu/Relu_output_0', '/layer1/layer1.0/conv1/Conv_output_0', '/layer4/layer4.1/relu_1/Relu_output_0'];
    expect(shortLayerNames(names.map((n) => layer(n)))).toEqual(['conv1/Conv', 'relu/Relu', 'layer1.0/conv1/Conv', 'layer4.1/relu_1/Relu']);
  });

  it('cuts only at separators: "features.10" and "features.11" keep their numbers whole', () => {
    expect(shortLayerNames([layer('features.10'), layer('features.11'), layer('features.12')])).toEqual(['10', '11', '12']);
    // The shared "1" of "10"/"11" is not a word of its own.
    expect(shortLayerNames([layer('block_10'), layer('block_11')])).toEqual(['10', '11']);
  });

  it('keeps every name non-empty, and a single layer whole', () => {
    expect(shortLayerNames([layer('/a/x_output_0'), layer('/a/b/x_output_0')])).toEqual(['x', 'b/x']);
    expect(shortLayerNames([layer('/features/Relu_output_0')])).toEqual(['/features/Relu_output_0']);
    expect(shortLayerNames([layer('conv'), layer('conv_1')])).toEqual(['conv', 'conv_1']);
  });

  it('shortens the default MobileNetV2: the model name and the fused ops go, Conv and Clip of one layer are told apart by their op', () => {
    const short = shortLayerNames(mobilenet);
    expect(short).toHaveLength(97);
    expect(new Set(short).size).toBe(short.length);
    const last = mobilenet.length - 1;
    expect(mobilenet[last]!.name).toMatch(/^MobilenetV2_Conv_1_Relu6;/);
    expect(short[last]).toBe('Conv_1_Relu6 (Clip)');
    expect(short[last - 1]).toBe('Conv_1_Relu6 (Conv)');
    // An Add has no fused twin: no op is added.
    const add = mobilenet.findIndex((l) => l.op === 'Add');
    expect(short[add]).toBe('expanded_conv_2_add_46');
    for (const s of short) expect(s).not.toMatch(/^MobilenetV2|;/);
  });

  it('numbers layers that still read the same after the op is added', () => {
    expect(shortLayerNames([layer('a/x;p', 'Conv'), layer('a/x;q', 'Conv'), layer('a/y', 'Conv')])).toEqual(['x (Conv) #1', 'x (Conv) #2', 'y']);
  });

  it('writes the shape as [C, H, W] whatever the layout', () => {
    expect(layerShapeText({ channels: 1280, height: 7, width: 7 })).toBe('[1280, 7, 7]');
    const nhwc = mobilenet.find((l) => l.layout === 'NHWC');
    if (nhwc) expect(layerShapeText(nhwc)).toBe(`[${nhwc.shape[3]}, ${nhwc.shape[1]}, ${nhwc.shape[2]}]`);
    expect(layerShapeText(mobilenet[0]!)).toBe('[32, 112, 112]');
  });

  it('says a transformer token layer is one, so typing "tokens" in the picker finds them', () => {
    const vitLayer = { name: 'blocks.11.norm1', op: 'Add', shape: [1, 197, 768], layout: 'tokens' as const, extraTokens: 1, channels: 768, height: 14, width: 14, isDefault: true };
    expect(layerShapeText(vitLayer)).toBe('[768, 14, 14] of 197 tokens');
    expect(filterLayerChoices(layerChoices([...mobilenet, vitLayer]), 'tokens').map((c) => c.name)).toEqual(['blocks.11.norm1']);
  });
});

describe('layer choices', () => {
  const choices = layerChoices(mobilenet);

  it('carry the full name, the short one, the shape and the default', () => {
    expect(choices.filter((c) => c.isDefault).map((c) => c.short)).toEqual(['Conv_1_Relu6 (Clip)']);
    expect(choices.at(-1)).toMatchObject({ name: mobilenet.at(-1)!.name, op: 'Clip', shape: '[1280, 7, 7]', isDefault: true });
  });

  it('filter by every typed word in the short name, op or shape, ignoring case', () => {
    expect(filterLayerChoices(choices, '')).toHaveLength(97);
    const block6 = filterLayerChoices(choices, 'CONV_6_depthwise clip');
    expect(block6.map((c) => c.short)).toEqual(['expanded_conv_6_depthwise_Relu6 (Clip)']);
    expect(block6[0]!.shape).toBe('[192, 14, 14]');
    expect(filterLayerChoices(choices, '1280').every((c) => c.shape.startsWith('[1280,'))).toBe(true);
    expect(filterLayerChoices(choices, 'default').map((c) => c.isDefault)).toEqual([true]);
    expect(filterLayerChoices(choices, 'no such layer')).toEqual([]);
  });

  it('do not match names fused into another layer', () => {
    // Block 1's Conv carries "expanded_conv_12_project_Conv2D_Fold" among its fused names.
    expect(mobilenet.some((l) => l.name.startsWith('MobilenetV2_expanded_conv_1_expand') && l.name.includes('conv_12'))).toBe(true);
    const found = filterLayerChoices(choices, 'conv_12_');
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((c) => c.short.startsWith('expanded_conv_12_'))).toBe(true);
  });
});
