"""The peers' work for each attribution method, in PyTorch autograd (CPU), for bench/peers.ts.

Captum, pytorch-grad-cam and Zennit are not installable here, so each function below does what the
named peer does for one call on a batch of images: the same forward and backward passes, batched
the way the peer batches them, with the same parameters as the Lumen run it is compared with.
Rows go through the model in passes of ROWS_PER_PASS (Captum's `internal_batch_size` /
`nt_samples_batch_size`), the peer's fastest setting on this machine, rather than all at once. Backward passes use
torch.autograd.grad to the one tensor needed (as Captum does), never gradients of the weights.

Every function takes (model, x [B, 3, H, W], target, params) and returns the attributions, so that
the work cannot be skipped; `PeerRunner` times them.
"""
import copy
import math
import os
import resource
import statistics
import time

import numpy as np
import torch
import torch.nn.functional as F

# At most this many rows per forward/backward pass: Captum's internal_batch_size (nt_samples_batch_size
# for noise tunnels), set to the peer's fastest. On the shared 2-core machine (load 20-30) one row
# per pass was fastest: ResNet-18 gradients of 32 images took 4-5.5 s one row at a time, 7 s two,
# 12-17 s eight, 25 s all 32 (IG-32: 22-39 s in passes of 32, 6-8 s of 8, 5 s of 4). On a quiet
# machine batching wins: LUMEN_BENCH_TORCH_ROWS changes it.
ROWS_PER_PASS = int(os.environ.get('LUMEN_BENCH_TORCH_ROWS', '1'))


def target_sum(logits, target):
    return logits[:, target].sum()


def input_gradient(model, rows, target):
    """d logit[target] / d rows, in passes of at most ROWS_PER_PASS rows."""
    grads = []
    for chunk in rows.split(ROWS_PER_PASS):
        chunk = chunk.detach().requires_grad_(True)
        (grad,) = torch.autograd.grad(target_sum(model(chunk), target), chunk)
        grads.append(grad)
    return torch.cat(grads)


# --- rectifier variants (Captum's GuidedBackprop and Deconvolution hook every nn.ReLU module) ---

class _GuidedRelu(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        out = x.clamp(min=0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad.clamp(min=0) * (out > 0)


class _DeconvRelu(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad):
        return grad.clamp(min=0)


class _FunctionRelu(torch.nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn.apply(x)


def with_relus(model, fn):
    """A copy whose nn.ReLU modules run `fn` (the model itself when it has none: ViT's GELUs are
    left alone by Captum too, so guided backprop there is the gradient)."""
    if not any(isinstance(m, torch.nn.ReLU) for m in model.modules()):
        return model
    out = copy.deepcopy(model)
    for parent in list(out.modules()):
        for name, child in parent.named_children():
            if isinstance(child, torch.nn.ReLU):
                setattr(parent, name, _FunctionRelu(fn))
    return out


# --- LRP epsilon as Zennit's Epsilon rule on every Conv2d and Linear (one forward, one modified backward) ---

def _stabilise(z, eps):
    return z + eps * (z >= 0).to(z.dtype).mul(2).sub(1)


class _EpsilonConv(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, conv, eps):
        z = F.conv2d(x, weight, bias, conv.stride, conv.padding, conv.dilation, conv.groups)
        ctx.save_for_backward(x, weight, z)
        ctx.conv, ctx.eps = conv, eps
        return z

    @staticmethod
    def backward(ctx, grad):
        x, weight, z = ctx.saved_tensors
        c = ctx.conv
        s = grad / _stabilise(z, ctx.eps)
        back = torch.nn.grad.conv2d_input(x.shape, weight, s, c.stride, c.padding, c.dilation, c.groups)
        return x * back, None, None, None, None


class _EpsilonLinear(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, eps):
        z = F.linear(x, weight, bias)
        ctx.save_for_backward(x, weight, z)
        ctx.eps = eps
        return z

    @staticmethod
    def backward(ctx, grad):
        x, weight, z = ctx.saved_tensors
        s = grad / _stabilise(z, ctx.eps)
        return x * (s @ weight), None, None, None


def with_epsilon_rule(model, eps):
    """A copy whose Conv2d and Linear layers propagate relevance with the epsilon rule. Zennit's
    hooks do the same algebra plus one extra forward of each layer; BatchNorm is not merged and
    activations pass the gradient, as in Zennit's Epsilon composite without canonizers."""
    out = copy.deepcopy(model)
    for module in out.modules():
        if isinstance(module, torch.nn.Conv2d):
            module.forward = (lambda m: lambda x: _EpsilonConv.apply(x, m.weight, m.bias, m, eps))(module)
        elif isinstance(module, torch.nn.Linear) and type(module) is torch.nn.Linear:
            module.forward = (lambda m: lambda x: _EpsilonLinear.apply(x, m.weight, m.bias, eps))(module)
    return out


# --- layers for CAM methods (pytorch-grad-cam's documented choices) ---

def cam_layer(name, model):
    """ResNet: layer4; DenseNet: features (its output, norm5); ViT: the last block's first LayerNorm
    with pytorch-grad-cam's reshape_transform (class token dropped, tokens to a 14 x 14 grid)."""
    if name == 'resnet18':
        return model.layer4, None
    if name == 'densenet121':
        return model.features, None
    if name == 'vit_b_16':
        def reshape(tokens):
            b, t, c = tokens.shape
            side = int(math.isqrt(t - 1))
            return tokens[:, 1:, :].reshape(b, side, side, c).permute(0, 3, 1, 2)
        return model.encoder.layers[-1].ln_1, reshape
    raise ValueError(f'no CAM layer known for {name}')


def activations_and_gradients(model, layer, reshape, x, target, need_gradient=True):
    """pytorch-grad-cam's ActivationsAndGradients: a forward hook keeps the layer's output; the
    backward of the target score gives its gradient."""
    kept = []
    handle = layer.register_forward_hook(lambda _m, _i, out: kept.append(out))
    try:
        with torch.set_grad_enabled(need_gradient):
            logits = model(x)
    finally:
        handle.remove()
    activation = kept[0]
    grad = torch.autograd.grad(target_sum(logits, target), activation)[0] if need_gradient else None
    if reshape:
        activation = reshape(activation)
        grad = reshape(grad) if grad is not None else None
    return activation.detach(), grad


def upsample(cam, size):
    return F.interpolate(cam[:, None], size=size, mode='bilinear', align_corners=False)[:, 0]


def scale_cam(cam, size):
    """pytorch-grad-cam's scale_cam_image: min-max per image, resized to the input."""
    cam = cam - cam.flatten(1).min(1).values[:, None, None]
    cam = cam / (1e-7 + cam.flatten(1).max(1).values[:, None, None])
    return upsample(cam, size)


def grad_cam_weights(activation, grad, variant):
    if variant == 'grad-cam':
        return (grad.mean(dim=(2, 3))[:, :, None, None] * activation).sum(1)
    if variant == 'grad-cam-plus-plus':
        g2 = grad ** 2
        g3 = g2 * grad
        sum_a = activation.sum(dim=(2, 3))[:, :, None, None]
        aij = g2 / (2 * g2 + sum_a * g3 + 1e-7)
        aij = torch.where(grad != 0, aij, torch.zeros_like(aij))
        weights = (grad.clamp(min=0) * aij).sum(dim=(2, 3))
        return (weights[:, :, None, None] * activation).sum(1)
    if variant == 'layer-cam':
        return (grad.clamp(min=0) * activation).sum(1)
    raise ValueError(variant)


class Peer:
    """The peer methods for one model: the model and its rule variants, made once."""

    def __init__(self, name, model):
        self.name = name
        self.model = model
        self._variants = {}

    def variant(self, key, make):
        if key not in self._variants:
            self._variants[key] = make()
        return self._variants[key]

    # Captum Saliency (abs=True, its default).
    def gradient(self, x, t, p):
        return input_gradient(self.model, x, t).abs()

    # Captum InputXGradient.
    def gradient_x_input(self, x, t, p):
        return input_gradient(self.model, x, t) * x

    # Captum GuidedBackprop.
    def guided_backprop(self, x, t, p):
        return input_gradient(self.variant('guided', lambda: with_relus(self.model, _GuidedRelu)), x, t)

    # Captum Deconvolution.
    def deconvnet(self, x, t, p):
        return input_gradient(self.variant('deconv', lambda: with_relus(self.model, _DeconvRelu)), x, t)

    # Captum IntegratedGradients, method='gausslegendre', zero baseline, internal_batch_size ROWS_PER_PASS.
    def integrated_gradients(self, x, t, p):
        steps = p.get('steps', 50)
        nodes, weights = np.polynomial.legendre.leggauss(steps)
        alphas = torch.tensor(0.5 * (nodes + 1), dtype=x.dtype).view(-1, 1, 1, 1)
        w = torch.tensor(0.5 * weights, dtype=x.dtype).view(-1, 1, 1, 1)
        out = []
        for image in x:
            points = alphas * image[None]
            out.append((input_gradient(self.model, points, t) * w).sum(0) * image)
        return torch.stack(out)

    # Captum NoiseTunnel(Saliency, nt_type='smoothgrad', nt_samples=N, nt_samples_batch_size ROWS_PER_PASS),
    # stdevs = noiseFraction x (max - min) of each image (Lumen's noiseFraction, PAIR's stdev_spread).
    def smoothgrad(self, x, t, p):
        samples = p.get('samples', 25)
        fraction = p.get('noiseFraction', 0.15)
        gen = torch.Generator().manual_seed(p.get('seed', 0))
        out = []
        for image in x:
            std = fraction * float(image.max() - image.min())
            noisy = image[None] + std * torch.randn((samples, *image.shape), generator=gen)
            out.append(input_gradient(self.model, noisy, t).mean(0))
        return torch.stack(out)

    # Captum GradientShap (n_samples=N, stdevs=0) over the baselines black and white (0 and 1 in
    # tensor space), in passes of ROWS_PER_PASS rows.
    def gradient_shap(self, x, t, p):
        samples = p.get('samples', 50)
        gen = torch.Generator().manual_seed(p.get('seed', 0))
        out = []
        for image in x:
            baselines = torch.randint(0, 2, (samples, 1, 1, 1), generator=gen).to(x.dtype)
            coef = torch.rand((samples, 1, 1, 1), generator=gen)
            points = baselines + coef * (image[None] - baselines)
            out.append((input_gradient(self.model, points, t) * (image[None] - baselines)).mean(0))
        return torch.stack(out)

    # Captum DeepLift's floor: its one forward of input and baseline rows together and one backward
    # (its hooks then rescale at each nonlinearity, extra work not timed here). Zero baseline.
    def deeplift(self, x, t, p):
        rows = torch.cat([x, torch.zeros_like(x)])
        grad = input_gradient(self.model, rows, t)
        return grad[: len(x)] * x

    # Zennit Epsilon on every Conv2d / Linear, attributor with a one-hot output gradient.
    def lrp_epsilon(self, x, t, p):
        eps = p.get('epsilon', 1e-6)
        model = self.variant(f'epsilon-{eps}', lambda: with_epsilon_rule(self.model, eps))
        return input_gradient(model, x, t)

    def _cam(self, x, t, variant):
        layer, reshape = cam_layer(self.name, self.model)
        maps = []
        for chunk in x.split(ROWS_PER_PASS):
            activation, grad = activations_and_gradients(self.model, layer, reshape, chunk, t)
            maps.append(grad_cam_weights(activation, grad, variant).clamp(min=0))
        return scale_cam(torch.cat(maps), x.shape[-2:])

    # pytorch-grad-cam GradCAM / GradCAMPlusPlus / LayerCAM at its default layer.
    def grad_cam(self, x, t, p):
        return self._cam(x, t, 'grad-cam')

    def grad_cam_plus_plus(self, x, t, p):
        return self._cam(x, t, 'grad-cam-plus-plus')

    def layer_cam(self, x, t, p):
        return self._cam(x, t, 'layer-cam')

    # Captum GuidedGradCam: a LayerGradCam pass and a GuidedBackprop pass, multiplied.
    def guided_grad_cam(self, x, t, p):
        return self.guided_backprop(x, t, p) * self._cam(x, t, 'grad-cam')[:, None]

    # pytorch-grad-cam ScoreCAM: each channel upsampled, min-max normalised, masks the input;
    # forward passes of 16 masked inputs (its batch_size); softmax of the target scores over channels.
    def score_cam(self, x, t, p):
        layer, reshape = cam_layer(self.name, self.model)
        with torch.no_grad():
            activation, _ = activations_and_gradients(self.model, layer, reshape, x, t, need_gradient=False)
            up = F.interpolate(activation, size=x.shape[-2:], mode='bilinear', align_corners=True)
            lo = up.flatten(2).min(2).values[:, :, None, None]
            hi = up.flatten(2).max(2).values[:, :, None, None]
            up = (up - lo) / (hi - lo + 1e-8)
            out = []
            for i, image in enumerate(x):
                scores = []
                for masks in up[i].split(16):
                    scores.append(self.model(image[None] * masks[:, None])[:, t])
                weights = torch.softmax(torch.cat(scores), 0)
                out.append((weights[:, None, None] * activation[i]).sum(0))
            return scale_cam(torch.stack(out).clamp(min=0), x.shape[-2:])

    # Captum Occlusion with sliding_window_shapes (3, w, w), strides (3, s, s), zero baseline,
    # perturbations_per_eval ROWS_PER_PASS (Captum's default is 1 window per forward pass: slower).
    def occlusion(self, x, t, p):
        window, stride = p.get('window', 15), p.get('stride', 8)
        h, w = x.shape[-2:]
        corners = [(r, c) for r in range(0, h - window + 1, stride) for c in range(0, w - window + 1, stride)]
        out = []
        with torch.no_grad():
            for image in x:
                base = self.model(image[None])[0, t]
                total = torch.zeros(h, w)
                count = torch.zeros(h, w)
                for start in range(0, len(corners), ROWS_PER_PASS):
                    chunk = corners[start:start + ROWS_PER_PASS]
                    batch = image[None].repeat(len(chunk), 1, 1, 1)
                    for k, (r, c) in enumerate(chunk):
                        batch[k, :, r:r + window, c:c + window] = 0
                    drops = base - self.model(batch)[:, t]
                    for k, (r, c) in enumerate(chunk):
                        total[r:r + window, c:c + window] += drops[k]
                        count[r:r + window, c:c + window] += 1
                out.append(total / count.clamp(min=1))
        return torch.stack(out)

    # RISE (Petsiuk et al.; the authors' code, as Xplique): M random cells x cells grids kept with
    # probability p, upsampled bilinearly to (cells + 1) x cell size and randomly shifted; softmax
    # probability of the target for x * mask in passes of ROWS_PER_PASS; the mask average weighted by it.
    def rise(self, x, t, p):
        masks_n, cells, keep = p.get('masks', 4000), p.get('cells', 7), p.get('probability', 0.5)
        gen = torch.Generator().manual_seed(p.get('seed', 0))
        h, w = x.shape[-2:]
        cell_h, cell_w = math.ceil(h / cells), math.ceil(w / cells)
        out = []
        with torch.no_grad():
            for image in x:
                total = torch.zeros(h, w)
                for start in range(0, masks_n, ROWS_PER_PASS):
                    n = min(ROWS_PER_PASS, masks_n - start)
                    grid = (torch.rand((n, 1, cells, cells), generator=gen) < keep).to(x.dtype)
                    big = F.interpolate(grid, size=((cells + 1) * cell_h, (cells + 1) * cell_w), mode='bilinear', align_corners=False)
                    dy = torch.randint(0, cell_h, (n,), generator=gen)
                    dx = torch.randint(0, cell_w, (n,), generator=gen)
                    masks = torch.stack([big[k, 0, dy[k]:dy[k] + h, dx[k]:dx[k] + w] for k in range(n)])
                    probs = torch.softmax(self.model(image[None] * masks[:, None]), 1)[:, t]
                    total += (probs[:, None, None] * masks).sum(0)
                out.append(total / masks_n / keep)
        return torch.stack(out)

    # Attention rollout (Abnar and Zuidema; jacobgil/vit-explain): one forward keeping every block's
    # attention probabilities, heads averaged, identity added, rows normalised, multiplied through.
    def attention_rollout(self, x, t, p):
        if self.name != 'vit_b_16':
            raise ValueError('attention rollout needs a transformer')
        kept = []
        patched = []
        for block in self.model.encoder.layers:
            attn = block.self_attention
            original = attn.forward

            def forward(*args, _original=original, **kw):
                kw.update(need_weights=True, average_attn_weights=False)
                out, weights = _original(*args, **kw)
                kept.append(weights)
                return out, weights
            attn.forward = forward
            patched.append((attn, original))
        try:
            with torch.no_grad():
                self.model(x)
        finally:
            for attn, original in patched:
                attn.forward = original
        tokens = kept[0].shape[-1]
        eye = torch.eye(tokens)
        flow = eye.expand(len(x), tokens, tokens)
        for weights in kept:
            a = weights.mean(1) + eye
            a = a / a.sum(-1, keepdim=True)
            flow = a @ flow
        side = int(math.isqrt(tokens - 1))
        grid = flow[:, 0, 1:].reshape(len(x), side, side)
        return upsample(grid, x.shape[-2:])


def images(batch, size=224):
    """The benchmark's inputs, as bench/peers.ts makes them: image b, value i = ((i 7919 + b 104729) mod 1000) / 1000."""
    i = np.arange(3 * size * size, dtype=np.int64)
    rows = [((i * 7919 + b * 104729) % 1000) / 1000 for b in range(batch)]
    return torch.tensor(np.stack(rows).astype(np.float32)).view(batch, 3, size, size)


def rss_mib():
    with open('/proc/self/statm') as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2 ** 20


class PeerRunner:
    """Answers the worker's requests: models made once, a warm-up before the first run of each work."""

    def __init__(self, make_model, blas):
        self.make_model = make_model
        self.blas = blas
        self.peers = {}
        self.warm = set()

    def handle(self, request):
        """{model, method, batch, params, repeat, target, warmup, warmupBatch, warmupRuns}; method 'load' only builds the
        model and answers the memory it takes (the start line of a peak-memory measurement)."""
        name, method = request['model'], request['method']
        if name not in self.peers:
            self.peers[name] = Peer(name, self.make_model(name))
        peer = self.peers[name]
        if method == 'load':
            return {'rssMiB': rss_mib(), 'maxRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
        batch, params = int(request['batch']), request.get('params', {})
        repeat, target = int(request.get('repeat', 1)), int(request.get('target', 3))
        fn = getattr(peer, method.replace('-', '_'), None)
        if fn is None:
            raise ValueError(f'no peer for method {method}')
        x = images(batch)
        key = (name, method, batch, repr(sorted(params.items())))
        if request.get('warmup', True) and key not in self.warm:
            for _ in range(int(request.get('warmupRuns', 1))):
                fn(x[:min(batch, int(request.get('warmupBatch', batch)))], target, params)
            self.warm.add(key)
        runs = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            result = fn(x, target, params)
            runs.append((time.perf_counter() - t0) * 1000)
        if not torch.isfinite(result).all():
            raise ValueError(f'{method} on {name} gave non-finite attributions')
        return {
            'ms': statistics.median(runs),
            'runsMs': runs,
            'maxRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            'rssMiB': rss_mib(),
            'threads': torch.get_num_threads(),
            'blas': self.blas,
        }
