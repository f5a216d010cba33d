"""Outcome Coach: classify outputs vs outcomes, ladder to outcomes, propose outcome measures."""

import os

# Small matrix products (a statement against ~2,000 examples) gain nothing from several BLAS threads and, on
# few cores, fight torch's own threads. Set before numpy is first imported; an explicit setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
