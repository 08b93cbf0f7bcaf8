#!/usr/bin/env python3
"""CPU time (process time, not wall) of PyTorch's ResNet-18 forward and forward + backward to the
input, on one thread: the baseline of `npm run bench -- single-pass` that a busy machine barely
moves (wall times under load vary several-fold between runs). Prints one JSON object.

    python3 bench/torch_cpu_time.py [--repeat 8] [--target 3]
"""
import argparse
import json
import statistics
import time

import torch

from torch_baseline import model


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--repeat', type=int, default=8)
    parser.add_argument('--target', type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    m = model('resnet18')
    torch.manual_seed(1)
    x = torch.rand(1, 3, 224, 224)

    def forward():
        with torch.no_grad():
            m(x)

    def forward_backward():
        xi = x.clone().requires_grad_(True)
        m(xi)[0, args.target].backward()

    runs = {'forwardMs': [], 'forwardBackwardMs': []}
    forward()
    forward_backward()
    for _ in range(args.repeat):
        # Alternated, so a change of load hits both alike.
        for key, fn in (('forwardMs', forward), ('forwardBackwardMs', forward_backward)):
            t0 = time.process_time()
            fn()
            runs[key].append((time.process_time() - t0) * 1000)
    print(json.dumps({key: statistics.median(values) for key, values in runs.items()}))


if __name__ == '__main__':
    main()
