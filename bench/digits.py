"""Converts the 8x8 handwritten digits bundled with Debian's python3-sklearn (1797 images, 64 pixels,
10 classes) to JSON {"N", "D", "C", "X" (row-major), "y"} on stdout. Used by bench/trainDigits.ts and
test/softmax/digitsTraining.test.ts; nothing is committed from it."""
import json

from sklearn.datasets import load_digits

d = load_digits()
print(json.dumps({"N": int(d.data.shape[0]), "D": int(d.data.shape[1]), "C": 10,
                  "X": [float(v) for v in d.data.ravel()], "y": [int(v) for v in d.target]}))
