#!/usr/bin/python3
"""Plot encoder training curves from the CSV logs `wordlens encoder train` writes.

usage: plot_training.py OUT.png LOG.csv [LOG.csv ...] [--labels a,b,...] [--title T]

One line per log: training loss (thin) and held-out loss (markers) against the
step, and held-out masked-token accuracy in a second panel. Several logs in one
plot compare runs (e.g. embeddings initialised from Word2Vec vs random).
Needs python3-matplotlib.
"""
import argparse
import csv
import sys


def read(path):
    rows = list(csv.DictReader(open(path)))
    if not rows or "step" not in rows[0]:
        sys.exit(f"plot_training: {path}: not a wordlens training log (no 'step' column)")
    train = [(int(r["step"]), float(r["loss"])) for r in rows if r["loss"]]
    valid = [(int(r["step"]), float(r["valid_loss"]), float(r["valid_acc"])) for r in rows if r["valid_loss"]]
    return train, valid


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out")
    p.add_argument("logs", nargs="+")
    p.add_argument("--labels")
    p.add_argument("--title", default="masked-LM pre-training")
    a = p.parse_args()
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        sys.exit("plot_training: matplotlib is missing: apt-get install python3-matplotlib")
    labels = a.labels.split(",") if a.labels else a.logs
    if len(labels) != len(a.logs):
        sys.exit("plot_training: --labels needs one label per log")
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5), dpi=100)
    for path, label in zip(a.logs, labels):
        train, valid = read(path)
        line, = ax1.plot([s for s, _ in train], [l for _, l in train], lw=0.8, alpha=0.6, label=f"{label} (train)")
        if valid:
            ax1.plot([s for s, _, _ in valid], [l for _, l, _ in valid], "o-", color=line.get_color(), ms=3,
                     label=f"{label} (held-out)")
            ax2.plot([s for s, _, _ in valid], [x for _, _, x in valid], "o-", color=line.get_color(), ms=3, label=label)
    ax1.set_xlabel("step")
    ax1.set_ylabel("cross-entropy")
    ax1.set_title("loss")
    ax1.legend(fontsize=8)
    ax2.set_xlabel("step")
    ax2.set_ylabel("accuracy")
    ax2.set_title("held-out masked-token accuracy")
    ax2.legend(fontsize=8)
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3)
    fig.suptitle(a.title)
    fig.tight_layout()
    fig.savefig(a.out)
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
