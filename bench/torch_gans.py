"""PyTorch versions of specs/dcgan.gan, specs/wgan_gp.gan and specs/began.gan, for bench/vs-pytorch.mjs.

Same architectures (layer for layer, "same" padding as padding=1 for these kernels), optimisers,
batch and schedule as the specs, and the same work per iteration as ganc's generated step: each
step draws its own batch; a step computes gradients only for the networks it trains (the other
network's weights are frozen for it); BEGAN's `together` block runs one forward pass for both
steps. Real images are random values in [-1, 1] (the timing is of training, not of data loading).

Run by the benchmark as a server: one JSON command per line on stdin, one JSON reply per line:
  {"cmd": "info"}                                          -> versions, threads, BLAS in use
  {"cmd": "matmul", "n": 1024, "reps": 10}                 -> {"gflops": ...}
  {"cmd": "run", "model": "dcgan", "batch": 64, "width": 64, "n": 3} -> {"ms": [per iteration]}
Threads: torch.set_num_threads(--threads); the benchmark also sets OMP/OPENBLAS_NUM_THREADS.
"""
import argparse
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class ChannelAffine(nn.Module):
    """ganc's layernorm: normalise each sample over all its values, then a per-channel scale and shift."""

    def __init__(self, channels):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(channels))
        self.beta = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        x = F.layer_norm(x, x.shape[1:], eps=1e-5)
        return x * self.gamma.view(1, -1, 1, 1) + self.beta.view(1, -1, 1, 1)


def bn1d(n):
    # ganc's batchnorm momentum 0.9 keeps 0.9 of the old average: PyTorch's momentum 0.1.
    return nn.BatchNorm1d(n, eps=1e-5, momentum=0.1)


def bn2d(n):
    return nn.BatchNorm2d(n, eps=1e-5, momentum=0.1)


def dcgan_g(ngf):
    return nn.Sequential(
        nn.Linear(100, 7 * 7 * ngf * 2), bn1d(7 * 7 * ngf * 2), nn.ReLU(), nn.Unflatten(1, (ngf * 2, 7, 7)),
        nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1), bn2d(ngf), nn.ReLU(),
        nn.ConvTranspose2d(ngf, 1, 4, 2, 1), nn.Tanh(),
    )


def dcgan_d(ndf, norm):
    return nn.Sequential(
        nn.Conv2d(1, ndf, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(ndf, ndf * 2, 4, 2, 1), norm(ndf * 2), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(7 * 7 * ndf * 2, 1),
    )


def upsampling_decoder(nf):
    return [
        nn.Unflatten(1, (nf, 7, 7)), nn.Conv2d(nf, nf, 3, 1, 1), nn.ELU(), nn.Upsample(scale_factor=2),
        nn.Conv2d(nf, nf, 3, 1, 1), nn.ELU(), nn.Upsample(scale_factor=2), nn.Conv2d(nf, 1, 3, 1, 1),
    ]


def began_nets(nf, h=64):
    g = nn.Sequential(nn.Linear(h, 7 * 7 * nf), *upsampling_decoder(nf), nn.Tanh())
    enc = nn.Sequential(
        nn.Conv2d(1, nf, 3, 1, 1), nn.ELU(), nn.Conv2d(nf, nf * 2, 3, 2, 1), nn.ELU(),
        nn.Conv2d(nf * 2, nf * 3, 3, 2, 1), nn.ELU(), nn.Flatten(), nn.Linear(7 * 7 * nf * 3, h), bn1d(h),
    )
    dec = nn.Sequential(nn.Linear(h, 7 * 7 * nf), bn1d(7 * 7 * nf), nn.ELU(), *upsampling_decoder(nf))
    return g, nn.Sequential(enc, dec)


def frozen(net, flag):
    for p in net.parameters():
        p.requires_grad_(not flag)


class Model:
    def __init__(self, kind, batch, width):
        self.kind, self.batch = kind, batch
        self.real = torch.rand(4096, 1, 28, 28) * 2 - 1
        if kind == "began":
            self.g, self.d = began_nets(width)
            betas, lr = (0.5, 0.999), 2e-4
            self.k = 0.0
        else:
            self.g = dcgan_g(width)
            self.d = dcgan_d(width, ChannelAffine if kind == "wgan_gp" else bn2d)
            betas, lr = ((0.5, 0.9), 1e-4) if kind == "wgan_gp" else ((0.5, 0.999), 2e-4)
        self.opt_g = torch.optim.Adam(self.g.parameters(), lr=lr, betas=betas, eps=1e-8)
        self.opt_d = torch.optim.Adam(self.d.parameters(), lr=lr, betas=betas, eps=1e-8)

    def x(self):
        return self.real[torch.randint(0, self.real.shape[0], (self.batch,))]

    def d_step_dcgan(self):
        with torch.no_grad():
            fake = self.g(torch.randn(self.batch, 100))
        real_logits, fake_logits = self.d(self.x()), self.d(fake)
        loss = F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits)) + \
            F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
        self.opt_d.zero_grad(set_to_none=True)
        loss.backward()
        self.opt_d.step()

    def d_step_wgan_gp(self):
        x = self.x()
        with torch.no_grad():
            fake = self.g(torch.randn(self.batch, 100))
        eps = torch.rand(self.batch, 1, 1, 1)
        x_hat = (eps * x + (1 - eps) * fake).requires_grad_(True)
        grad = torch.autograd.grad(self.d(x_hat).sum(), x_hat, create_graph=True)[0]
        norm = torch.sqrt(grad.reshape(self.batch, -1).square().sum(1) + 1e-12)
        loss = self.d(fake).mean() - self.d(x).mean() + 10 * ((norm - 1) ** 2).mean()
        self.opt_d.zero_grad(set_to_none=True)
        loss.backward()
        self.opt_d.step()

    def g_step(self, loss_of_logits):
        frozen(self.d, True)
        logits = self.d(self.g(torch.randn(self.batch, 100)))
        loss = loss_of_logits(logits)
        self.opt_g.zero_grad(set_to_none=True)
        loss.backward()
        self.opt_g.step()
        frozen(self.d, False)

    def began_iteration(self):
        # together: both gradients from one forward pass and the same weights, then both updates
        x = self.x()
        fake = self.g(torch.rand(self.batch, 64) * 2 - 1)
        loss_real = (self.d(x) - x).abs().mean()
        loss_fake = (self.d(fake) - fake).abs().mean()
        d_loss = loss_real - self.k * loss_fake
        d_grads = torch.autograd.grad(d_loss, list(self.d.parameters()), retain_graph=True)
        g_grads = torch.autograd.grad(loss_fake, list(self.g.parameters()))
        for p, g in zip(self.d.parameters(), d_grads):
            p.grad = g
        for p, g in zip(self.g.parameters(), g_grads):
            p.grad = g
        self.opt_d.step()
        self.opt_g.step()
        self.k = min(max(self.k + 0.001 * (0.75 * loss_real.item() - loss_fake.item()), 0.0), 1.0)

    def iteration(self):
        if self.kind == "dcgan":
            self.d_step_dcgan()
            self.g_step(lambda l: F.binary_cross_entropy_with_logits(l, torch.ones_like(l)))
        elif self.kind == "wgan_gp":
            for _ in range(5):
                self.d_step_wgan_gp()
            self.g_step(lambda l: -l.mean())
        else:
            self.began_iteration()


def blas_in_use():
    """The BLAS and OpenMP libraries this process has loaded (from /proc/self/maps)."""
    libs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if any(k in path for k in ("blas", "lapack", "gomp", "mkl")):
                libs.add(path)
    return sorted(libs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, required=True)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    models = {}
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["cmd"] == "info":
            reply = {"torch": torch.__version__, "threads": torch.get_num_threads(), "mkldnn": torch.backends.mkldnn.is_available(), "libs": blas_in_use()}
        elif cmd["cmd"] == "matmul":
            n = cmd["n"]
            a, b = torch.randn(n, n), torch.randn(n, n)
            for _ in range(2):
                a @ b
            start = time.perf_counter()
            for _ in range(cmd["reps"]):
                a @ b
            reply = {"gflops": 2 * n ** 3 * cmd["reps"] / (time.perf_counter() - start) / 1e9, "libs": blas_in_use()}
        elif cmd["cmd"] == "run":
            key = (cmd["model"], cmd["batch"], cmd["width"])
            if key not in models:
                models[key] = Model(*key)
            ms = []
            for _ in range(cmd["n"]):
                start = time.perf_counter()
                models[key].iteration()
                ms.append((time.perf_counter() - start) * 1000)
            reply = {"ms": ms}
        else:
            reply = {"error": f"unknown command {cmd['cmd']}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
