"""The comparison for `acre calibrate --forecasts` at scale (issue 33): the first figures
acre prints, computed with pandas + numpy, whole process, CSV read included.

    python3 benches/calibrate_pandas.py make FILE.csv [ROWS]   # a forecast file (seeded)
    python3 benches/calibrate_pandas.py FILE.csv               # pandas: Brier, per forecaster, per question
    target/release/acre calibrate --forecasts FILE.csv         # acre: the same and the rest

The file has binary forecasts of 5,000 questions by 2,000 forecasters (1,000,000 rows by
default, 30 MB). Time both as whole processes, paired, several runs (medians).
"""
import random
import sys


def make(path, rows):
    rng = random.Random(7)
    happened = [rng.random() < 0.4 for _ in range(5000)]
    with open(path, "w") as f:
        f.write("question_id,forecaster_id,date,probability,outcome\n")
        for _ in range(rows):
            q, w = rng.randrange(5000), rng.randrange(2000)
            day = f"2012-{rng.randrange(1, 13):02d}-{rng.randrange(1, 28):02d}"
            f.write(f"q{q},w{w},{day},{round(rng.random(), 3)},{int(happened[q])}\n")


def score(path):
    import pandas as pd

    df = pd.read_csv(path)
    p = df["probability"].to_numpy(dtype=float)
    o = df["outcome"].to_numpy(dtype=float)
    # the multi-option Brier of a binary forecast: (p - o)^2 + ((1 - p) - (1 - o))^2
    df["brier"] = 2.0 * (p - o) ** 2
    by_forecaster = df.groupby("forecaster_id")["brier"].agg(["mean", "size"]).sort_values("mean")
    by_question = df.groupby("question_id")["brier"].agg(["mean", "size"])
    print(f"{len(df)} forecasts, Brier {df['brier'].mean():.4f}")
    print(by_forecaster.head(5))
    print(by_question.head(5))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000)
    else:
        score(sys.argv[1])
