#!/usr/bin/env python3
"""PyTorch baseline for Lumen's benchmarks (offline; Debian's python3-torch and python3-torchvision).

  export   write a torchvision classifier (seeded random weights, eval mode) as ONNX:
           resnet18 or densenet121 (opset 13) or vit_b_16 (opset 14), batch dynamic
  time     time, on this machine, the same work Lumen's benchmark times:
           one forward; one forward + backward to the input; and `steps` forward + backward passes
           batched as Captum's IntegratedGradients does them (one batch of `steps` path points)

    python3 bench/torch_baseline.py export OUT.onnx [--model vit_b_16]
    python3 bench/torch_baseline.py time --steps 32 --repeat 5 [--model vit_b_16]   (prints one JSON object)
  worker   a persistent process for bench/peers.ts: reads one JSON request a line on stdin,
           {"model", "method", "batch", "params", "repeat"}, times the peer's work for that attribution
           method (bench/peer_methods.py says which peer each imitates) and answers one JSON line
           {"ms" (median), "runsMs", "maxRssMiB", "rssMiB"} or {"error"}; the first request of a
           model, method and batch is preceded by one untimed warm-up run.

    python3 bench/torch_baseline.py worker [--threads N]
"""
import argparse
import ctypes
import json
import os
import resource
import statistics
import sys
import time

import torch
import torchvision


# The architectures the benchmarks compare on, with the opset each is exported at.
OPSETS = {'resnet18': 13, 'densenet121': 13, 'vit_b_16': 14}


def model(name):
    torch.manual_seed(0)
    m = getattr(torchvision.models, name)(weights=None).eval()
    if name == 'vit_b_16':
        # torchvision starts ViT's head at zero: every logit and gradient would be 0. Same work, but
        # a benchmark whose attributions are all zero checks nothing (IG's completeness figure).
        torch.nn.init.normal_(m.heads.head.weight, std=0.02)
    return m


def export(path, name):
    m = model(name)
    x = torch.zeros(1, 3, 224, 224)
    torch.onnx.export(m, x, path, input_names=['input'], output_names=['logits'], opset_version=OPSETS[name],
                      dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}})


def blas_library():
    """The BLAS this process really loaded: Debian's torch links the system's libblas.so.3, which is
    the slow reference BLAS unless libopenblas0 is installed (ten times slower on ViT's MatMuls).
    For OpenBLAS, the kernels it chose follow the path, as in 'libopenblas.so.0 (core Cooperlake)':
    a core forced older than the CPU (OPENBLAS_CORETYPE) slows PyTorch's MatMuls."""
    torch.rand(8, 8) @ torch.rand(8, 8)
    with open('/proc/self/maps') as maps:
        libs = sorted({line.split()[-1] for line in maps if 'blas' in line.split()[-1]})
    named = []
    for lib in libs:
        try:
            corename = ctypes.CDLL(lib).openblas_get_corename
            corename.restype = ctypes.c_char_p
            named.append(f'{lib} (core {corename().decode()})')
        except (OSError, AttributeError):
            named.append(lib)
    return named


def timed(fn, repeat):
    fn()  # warm-up
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs)


def time_all(name, steps, repeat, target, threads):
    # Debian's build defaults to one thread; use every core, as onnxruntime does.
    torch.set_num_threads(threads)
    m = model(name)
    torch.manual_seed(1)
    x = torch.rand(1, 3, 224, 224)
    baseline = torch.zeros_like(x)

    def forward():
        with torch.no_grad():
            m(x)

    def forward_backward():
        xi = x.clone().requires_grad_(True)
        m(xi)[0, target].backward()

    alphas = torch.linspace(0, 1, steps).view(-1, 1, 1, 1)

    def ig_passes():
        # The integrand evaluations of IG: `steps` path points in one batch, gradient of the target.
        points = (baseline + alphas * (x - baseline)).requires_grad_(True)
        m(points)[:, target].sum().backward()
        return points.grad

    result = {
        'model': name,
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'blas': blas_library(),
        'forwardMs': timed(forward, repeat),
        'forwardBackwardMs': timed(forward_backward, repeat),
        'igPassesMs': timed(ig_passes, repeat),
        'steps': steps,
        'maxRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(result))


def worker(threads):
    torch.set_num_threads(threads)
    from peer_methods import PeerRunner  # beside this file; imported here so export/time need nothing new
    runner = PeerRunner(model, blas_library())
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = runner.handle(json.loads(line))
        except Exception as error:  # noqa: BLE001 - one failed request must not end the worker
            answer = {'error': f'{type(error).__name__}: {error}'}
        sys.stdout.write(json.dumps(answer) + '\n')
        sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest='command', required=True)
    e = sub.add_parser('export')
    e.add_argument('out')
    e.add_argument('--model', choices=sorted(OPSETS), default='resnet18')
    t = sub.add_parser('time')
    t.add_argument('--steps', type=int, default=32)
    t.add_argument('--repeat', type=int, default=5)
    t.add_argument('--target', type=int, default=3)
    t.add_argument('--threads', type=int, default=os.cpu_count())
    t.add_argument('--model', choices=sorted(OPSETS), default='resnet18')
    w = sub.add_parser('worker')
    w.add_argument('--threads', type=int, default=os.cpu_count())
    args = parser.parse_args()
    if args.command == 'export':
        export(args.out, args.model)
    elif args.command == 'worker':
        worker(args.threads)
    else:
        time_all(args.model, args.steps, args.repeat, args.target, args.threads)


if __name__ == '__main__':
    main()
