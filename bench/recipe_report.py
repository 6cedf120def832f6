#!/usr/bin/python3
"""The recipe section of bench/RESULTS.md from recipe_bench.sh's runs and scores.

usage: recipe_report.py --runs DIR --scores DIR --presets "quick standard" --commands FILE
                        --rev REV --cpu CPU [--plot OUT.png]

For each preset: its training log (PRESET.safetensors.csv), wall time and
peak RSS (PRESET.time), load average (PRESET.start), and the `compare --json`
output of every snapshot (PRESET.stepN.json) and of the final weights
(PRESET.json). Prints the markdown section; --plot draws the curves against
wall time (needs python3-matplotlib).
"""
import argparse
import csv
import glob
import json
import os
import re
import sys


def load_run(runs, scores, preset):
    log = list(csv.DictReader(open(f"{runs}/{preset}.safetensors.csv")))
    by_step = {int(r["step"]): r for r in log}
    wall, rss = open(f"{runs}/{preset}.time").read().split()[:2]
    start = open(f"{runs}/{preset}.start").read().split("\n")
    points = []
    files = glob.glob(f"{scores}/{preset}.step*.json") + [f"{scores}/{preset}.json"]
    for f in files:
        m = re.search(r"\.step(\d+)\.json$", f)
        step = int(m.group(1)) if m else max(by_step)
        row = by_step[step]
        r = json.load(open(f))
        sts = r["sts"]["sts-dev.csv"]
        points.append(dict(step=step, epoch=float(row["epoch"]), minutes=float(row["seconds"]) / 60,
                           valid_loss=float(row["valid_loss"]) if row["valid_loss"] else None,
                           valid_acc=float(row["valid_acc"]) if row["valid_acc"] else None,
                           sts_mean=sts["encoder_mean"], sts_sifw=sts["encoder_sif_weighted"], sts_sif=sts["encoder_sif"],
                           wic=r["wic"]["dev"]["encoder"], lee_mean=r["lee"]["encoder_mean"],
                           lee_sifw=r["lee"]["encoder_sif_weighted"], static=r))
    points.sort(key=lambda p: p["step"])
    return dict(preset=preset, points=points, wall=float(wall), rss_mib=int(rss) // 1024, start=start)


def static_rows(r):
    sts = r["sts"]["sts-dev.csv"]
    return dict(avg=sts["avg"], sif=sts["sif"], sifw=sts.get("sif_weighted"), wic=r["wic"]["dev"]["static_window"],
                lee_avg=r["lee"]["avg"], lee_sif=r["lee"]["sif"])


def fmt(x, nd=2):
    return "–" if x is None else f"{x:.{nd}f}"


def section(runs, args):
    st = static_rows(runs[0]["points"][0]["static"])
    L = ["<!-- recipe:begin -->", "## Pre-training recipes: `encoder train --preset quick|standard` (issue 15)", "",
         f"- Version: wordlens {args.rev}; machine: {os.cpu_count()} cores ({args.cpu}).",
         "- Vectors `$MODELS/vectors.bin` (skip-gram, d = 128) and counts `vocab.txt` from `bench/encoder_train_bench.sh`; "
         "the corpus `bench.txt`; held-out MLM numbers on the fixed last 1% of the sequences.",
         "- Every snapshot is scored with `compare --layer all-mean` (the encoder's states after each layer, read through "
         "the final LayerNorm, averaged over the layers): STS-B dev Spearman ×100 of the mean (`encoder-mean`) and of the "
         "SIF-weighted mean (`encoder-sif-weighted`), WiC dev accuracy of the target's state (threshold from train), "
         "Lee Pearson ×100 of the mean. Dev splits only.",
         f"- Static rows (the same vectors, every run): STS-B dev avg {st['avg']:.2f}, sif {st['sif']:.2f}"
         + (f", sif-weighted {st['sifw']:.2f}" if st["sifw"] is not None else "")
         + f"; WiC dev static ±5 {st['wic']:.2f}; Lee avg {st['lee_avg']:.2f}, sif {st['lee_sif']:.2f}.", "",
         "```sh"] + [c for c in open(args.commands).read().splitlines() if c] + ["```", ""]
    L += ["| preset | settings | wall time | peak RSS | load avg. before / after | held-out MLM loss | acc. | STS mean | STS sif-w. | WiC | Lee mean |",
          "|---|---|--:|--:|---|--:|--:|--:|--:|--:|--:|"]
    for run in runs:
        last = run["points"][-1]
        L.append(f"| {run['preset']} | see `--help` | {run['wall'] / 60:.1f} min | {run['rss_mib']} MiB | "
                 f"{run['start'][0]} / {run['start'][2] if len(run['start']) > 2 else '?'} | {fmt(last['valid_loss'], 4)} | "
                 f"{fmt(last['valid_acc'], 4)} | {last['sts_mean']:.2f} | {last['sts_sifw']:.2f} | {last['wic']:.2f} | "
                 f"{last['lee_mean']:.2f} |")
    for run in runs:
        L += ["", f"### `--preset {run['preset']}`: the snapshots", "",
              "| step | epoch | wall min | held-out MLM loss | acc. | STS mean | STS sif-w. | STS sif-w., PC removed | WiC | Lee mean | Lee sif-w. |",
              "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
        for p in run["points"]:
            L.append(f"| {p['step']} | {p['epoch']:.2f} | {p['minutes']:.1f} | {fmt(p['valid_loss'], 4)} | {fmt(p['valid_acc'], 4)} | "
                     f"{p['sts_mean']:.2f} | {p['sts_sifw']:.2f} | {p['sts_sif']:.2f} | {p['wic']:.2f} | {p['lee_mean']:.2f} | "
                     f"{p['lee_sifw']:.2f} |")
    if args.plot:
        L += ["", f"![recipe curves]({os.path.basename(args.plot)})"]
    L.append("<!-- recipe:end -->")
    return "\n".join(L)


def plot(runs, out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    st = static_rows(runs[0]["points"][0]["static"])
    fig, ax = plt.subplots(1, 4, figsize=(18, 4.2))
    for run in runs:
        x = [p["minutes"] for p in run["points"]]
        acc = [(p["minutes"], p["valid_acc"]) for p in run["points"] if p["valid_acc"] is not None]
        ax[0].plot([a for a, _ in acc], [b for _, b in acc], marker="o", label=run["preset"])
        ax[1].plot(x, [p["sts_sifw"] for p in run["points"]], marker="o", label=f"{run['preset']}: sif-weighted")
        ax[1].plot(x, [p["sts_mean"] for p in run["points"]], marker=".", ls="--", label=f"{run['preset']}: mean")
        ax[2].plot(x, [p["wic"] for p in run["points"]], marker="o", label=run["preset"])
        ax[3].plot(x, [p["lee_mean"] for p in run["points"]], marker="o", label=run["preset"])
    ax[1].axhline(st["sif"], color="k", lw=1, label="static sif")
    if st["sifw"] is not None:
        ax[1].axhline(st["sifw"], color="k", lw=1, ls=":", label="static sif-weighted")
    ax[1].axhline(st["sif"] + 3, color="r", lw=1, ls="--", label="goal: sif + 3")
    ax[2].axhline(st["wic"], color="k", lw=1, label="static ±5")
    ax[2].axhline(st["wic"] + 3, color="r", lw=1, ls="--", label="goal: static ±5 + 3")
    ax[3].axhline(st["lee_sif"], color="k", lw=1, label="static sif")
    for a, t in zip(ax, ["held-out masked-token accuracy", "STS-B dev (Spearman ×100)", "WiC dev (accuracy %)", "Lee (Pearson ×100)"]):
        a.set_title(t)
        a.set_xlabel("wall time (min, 2 cores)")
        a.legend(fontsize=7)
        a.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=90)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for a in ("--runs", "--scores", "--presets", "--commands", "--rev", "--cpu"):
        p.add_argument(a, required=True)
    p.add_argument("--plot")
    args = p.parse_args()
    runs = [load_run(args.runs, args.scores, preset) for preset in args.presets.split()]
    if args.plot:
        plot(runs, args.plot)
    print(section(runs, args))


if __name__ == "__main__":
    sys.exit(main())
