#!/usr/bin/env python3
"""Full-size torchvision classifiers as ONNX files for bench/model-load.ts (not committed: large).

    /usr/bin/python3 bench/model_load_export.py OUT_DIR [resnet18 densenet121 vit_b_16]

Random weights (weights=None, seeded), eval mode, input `input` [batch, 3, 224, 224] with a dynamic
batch, output `logits`. Opset 14 for ViT-B/16 (its attention needs it), 13 for the others. Debian's
python3-torch and python3-torchvision are enough. Files that exist are kept.
"""
import os
import sys

import torch
import torchvision

OPSETS = {'resnet18': 13, 'densenet121': 13, 'vit_b_16': 14}


def export(out_dir, name):
    path = os.path.join(out_dir, f'{name}.onnx')
    if os.path.exists(path):
        return path
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None).eval()
    x = torch.zeros(1, 3, 224, 224)
    tmp = path + '.part'
    torch.onnx.export(model, x, tmp, input_names=['input'], output_names=['logits'], opset_version=OPSETS[name],
                      dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}})
    os.replace(tmp, path)
    return path


def main():
    out_dir = sys.argv[1]
    names = sys.argv[2:] or list(OPSETS)
    os.makedirs(out_dir, exist_ok=True)
    for name in names:
        path = export(out_dir, name)
        print(path, os.path.getsize(path))


if __name__ == '__main__':
    main()
