"""Random numbers keyed by agent id: common random numbers that survive entry and exit.

A stream of the usual kind hands out numbers in row order, so once two scenarios differ in
one entry or exit, every later agent's draw shifts and the paired replications decorrelate.
A *keyed* stream instead computes each number from (stream key, agent id, column) with a
counter-based hash (SplitMix64; Steele, Lea & Flood 2014), the idea of counter-based
generators (Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2, 3"): agent 7's
shock in year t is the same in every scenario where agent 7 exists, whatever happened to
agents 1-6. Computed in uint64 arithmetic (wrap-around is the intended modular product).

The stream key comes from the replication's SeedSequence (year and mechanism spawn keys), so
replications and years are independent and runs are reproducible.

The hash runs in Numba kernels, one loop per draw: NumPy makes one full-array pass per
operation (≈19 passes over all ids for a consideration draw), which a compiled loop fuses
(docs/performance.md). The kernels perform the same uint64 operations and the same float64
operations in the same order as the NumPy formulation they replaced, so they give the same
bits; tests/test_keyed_kernels.py keeps that NumPy formulation as the reference and asserts
equality. The logarithms of the Gumbel noise stay NumPy's ``np.log`` (its SIMD log differs
from libm's in the last bit for ~0.4% of arguments, so a compiled log would change results).
"""

from __future__ import annotations

from functools import lru_cache

import numba
import numpy as np
from scipy.special import ndtri

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_COLUMN = np.uint64(0xD1B54A32D192ED03)
_S30, _S27, _S31, _S11 = (np.uint64(s) for s in (30, 27, 31, 11))
_UNIT = 2.0**-53
_TWO64 = 1 << 64
_NO_MASK = np.zeros(0, dtype=np.bool_)


@lru_cache(maxsize=64)
def _bits_threshold(probability: float) -> int:
    """The integer T with ``uniform < probability`` ⟺ ``bits < T`` for the 64 hashed bits of
    :meth:`KeyedStream.uniform` (exactly: u = ((bits >> 11) + 0.5) 2^-53 in float64 is
    non-decreasing in bits; the threshold is found by bisection on the same float
    arithmetic). T may be 2^64 (every draw is below)."""

    def below(k: int) -> bool:  # the float64 operations of KeyedStream.uniform
        return (float(k) + 0.5) * _UNIT < probability

    low, high = 0, 1 << 53  # below(k) is true for k < K, false from K on; K in [0, 2^53]
    while low < high:
        middle = (low + high) // 2
        if below(middle):
            low = middle + 1
        else:
            high = middle
    return low << 11


def _column_offset(column: int) -> np.uint64:
    """(column + 1) C + golden (mod 2^64): what the second hash round adds to the keyed id."""
    return np.uint64(((int(column) + 1) * int(_COLUMN) + int(_GOLDEN)) % _TWO64)


# ---- kernels: scalar uint64 arithmetic (every constant uint64, so no float promotion) ----


@numba.njit(cache=True, inline="always")
def _round(z):
    """The SplitMix64 finaliser without its golden-ratio increment."""
    z = (z ^ (z >> _S30)) * _MIX1
    z = (z ^ (z >> _S27)) * _MIX2
    return z ^ (z >> _S31)


@numba.njit(cache=True, inline="always")
def _to_unit(z):
    """((z >> 11) + 0.5) 2^-53: the float64 operations of the uniform, in the same order."""
    return (np.float64(z >> _S11) + 0.5) * _UNIT


@numba.njit(cache=True)
def _splitmix64_kernel(values, out):
    for i in range(values.size):
        out[i] = _round(values[i] + _GOLDEN)


@numba.njit(cache=True)
def _bits_kernel(ids, key, offsets, out):
    """out[i] = hash of (key, ids[i]) with column offset offsets[i] (or offsets[0])."""
    if offsets.size == 1:
        offset = offsets[0]
        for i in range(ids.size):
            out[i] = _round(_round((ids[i] ^ key) + _GOLDEN) + offset)
    else:
        for i in range(ids.size):
            out[i] = _round(_round((ids[i] ^ key) + _GOLDEN) + offsets[i])


@numba.njit(cache=True)
def _uniform_kernel(ids, key, offsets, out):
    """out[i] = the uniform of :func:`_bits_kernel`'s bits."""
    if offsets.size == 1:
        offset = offsets[0]
        for i in range(ids.size):
            out[i] = _to_unit(_round(_round((ids[i] ^ key) + _GOLDEN) + offset))
    else:
        for i in range(ids.size):
            out[i] = _to_unit(_round(_round((ids[i] ^ key) + _GOLDEN) + offsets[i]))


@numba.njit(cache=True)
def _below_kernel(ids, key, offset, threshold, mask, below):
    """below[i] = hashed bits < threshold (and mask[i], unless mask is empty). A flag per
    row rather than a list of rows: this loop has no branch and compiles to SIMD code."""
    if mask.size == 0:
        for i in range(ids.size):
            below[i] = _round(_round((ids[i] ^ key) + _GOLDEN) + offset) < threshold
    else:
        for i in range(ids.size):
            below[i] = (_round(_round((ids[i] ^ key) + _GOLDEN) + offset) < threshold) & mask[i]


@numba.njit(cache=True)
def _uniform_by_alternative_kernel(ids, key, offsets, out):
    """out[j, i]: the uniform of id i in column j + 1 (the per-id round made once)."""
    keyed = np.empty(ids.size, dtype=np.uint64)
    for i in range(ids.size):
        keyed[i] = _round((ids[i] ^ key) + _GOLDEN)
    for j in range(offsets.size):
        offset = offsets[j]
        row = out[j]
        for i in range(ids.size):
            row[i] = _to_unit(_round(keyed[i] + offset))


@numba.njit(cache=True)
def _first_max_kernel(utility, log_log):
    """For each column i, the j that np.argmax picks from utility[:, i] - log_log[:, i]:
    the first NaN if there is one, else the first maximum (both (alternatives, n))."""
    alternatives, n = log_log.shape
    best = utility[0] - log_log[0]
    seen_nan = best != best
    choice = np.zeros(n, dtype=np.int64)
    for j in range(1, alternatives):
        for i in range(n):
            value = utility[j, i] - log_log[j, i]
            is_nan = value != value
            if (value > best[i]) | (is_nan & ~seen_nan[i]):
                best[i] = value
                choice[i] = j
            seen_nan[i] |= is_nan
    return choice


def _as_uint64(ids: np.ndarray) -> np.ndarray:
    """The ids' bits as a contiguous uint64 array (64-bit integers viewed, not converted:
    the same bits as ``astype(np.uint64)``)."""
    ids = np.asarray(ids)
    if ids.dtype.kind in "iu" and ids.dtype.itemsize == 8:
        return np.ascontiguousarray(ids).view(np.uint64)
    return np.ascontiguousarray(ids.astype(np.uint64))


def splitmix64(values: np.ndarray) -> np.ndarray:
    """The SplitMix64 finaliser applied element-wise to uint64 values."""
    values = np.ascontiguousarray(values, dtype=np.uint64)
    out = np.empty_like(values)
    _splitmix64_kernel(values.ravel(), out.reshape(-1))
    return out


class KeyedStream:
    """Uniform, normal and Gumbel draws as pure functions of (key, id, column)."""

    def __init__(self, seed_sequence: np.random.SeedSequence) -> None:
        self.key = np.uint64(seed_sequence.generate_state(1, np.uint64)[0])

    def _hash(self, kernel, ids: np.ndarray, column: int | np.ndarray, dtype: type) -> np.ndarray:
        """``kernel`` over ids broadcast against column (one offset for a scalar column)."""
        ids = _as_uint64(ids)
        column = np.asarray(column, dtype=np.uint64)
        with np.errstate(over="ignore"):
            offsets = (column + np.uint64(1)) * _COLUMN + _GOLDEN
        if offsets.ndim == 0:
            out: np.ndarray = np.empty(ids.shape, dtype=dtype)
            kernel(ids.reshape(-1), self.key, offsets.reshape(1), out.reshape(-1))
            return out
        ids, offsets = np.broadcast_arrays(ids, offsets)
        out = np.empty(ids.shape, dtype=dtype)
        kernel(
            np.ascontiguousarray(ids).reshape(-1),
            self.key,
            np.ascontiguousarray(offsets).reshape(-1),
            out.reshape(-1),
        )
        return out

    def bits(self, ids: np.ndarray, column: int | np.ndarray = 0) -> np.ndarray:
        """The 64 hashed bits of (key, id, column), ids broadcast against column."""
        return self._hash(_bits_kernel, ids, column, np.uint64)

    def rows_below(
        self, ids: np.ndarray, probability: float, mask: np.ndarray | None = None
    ) -> np.ndarray:
        """``np.flatnonzero(mask & (self.uniform(ids) < probability))`` (column 0), exactly,
        for a scalar probability, without forming the uniforms: the comparison is made on
        the hashed bits (:func:`_bits_threshold`)."""
        ids = _as_uint64(ids).reshape(-1)
        threshold = _bits_threshold(float(probability))
        if threshold <= 0:
            return np.zeros(0, dtype=np.intp)
        if threshold >= _TWO64:  # every draw is below
            return (
                np.arange(ids.size, dtype=np.intp)
                if mask is None
                else np.flatnonzero(np.asarray(mask).ravel())
            )
        mask = _NO_MASK if mask is None else np.ascontiguousarray(mask, dtype=np.bool_).ravel()
        below = np.empty(ids.size, dtype=np.bool_)
        _below_kernel(ids, self.key, _column_offset(0), np.uint64(threshold), mask, below)
        return np.flatnonzero(below)

    def uniform(self, ids: np.ndarray, column: int | np.ndarray = 0) -> np.ndarray:
        """U(0, 1), never exactly 0 or 1."""
        return self._hash(_uniform_kernel, ids, column, np.float64)

    def normal(self, ids: np.ndarray, column: int = 0) -> np.ndarray:
        """N(0, 1) by inversion of the uniform."""
        return ndtri(self.uniform(ids, column))

    def gumbel(self, ids: np.ndarray, alternatives: int) -> np.ndarray:
        """(len(ids), alternatives) standard Gumbel draws, one column per alternative."""
        columns = np.arange(1, alternatives + 1, dtype=np.uint64)[None, :]
        uniform = self.uniform(np.asarray(ids)[:, None], columns)
        return -np.log(-np.log(uniform))

    def _log_log_uniform(self, ids: np.ndarray, alternatives: int) -> np.ndarray:
        """L = ln(-ln u) of the uniforms of :meth:`gumbel` (whose noise is -L), laid out
        alternative by alternative, (alternatives, len(ids)). The uniforms come from one
        kernel; the logarithms are NumPy's (see the module docstring)."""
        ids = _as_uint64(ids).reshape(-1)
        offsets = np.array(
            [_column_offset(column) for column in range(1, alternatives + 1)], dtype=np.uint64
        )
        log_log = np.empty((alternatives, ids.size))
        _uniform_by_alternative_kernel(ids, self.key, offsets, log_log)
        np.log(log_log, out=log_log)
        np.negative(log_log, out=log_log)
        np.log(log_log, out=log_log)
        return log_log

    def choice(self, utility: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Row-wise multinomial-logit choice: argmax of utility + keyed Gumbel noise.

        The same numbers as ``np.argmax(utility + self.gumbel(ids, m), axis=1)``, with
        utility + (-L) computed as utility - L (IEEE a + (-b) is a - b)."""
        utility = np.asarray(utility, dtype=np.float64)
        return self.choice_by_alternative(np.ascontiguousarray(utility.T), ids)

    def choice_by_alternative(self, utility: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """:meth:`choice` for the utility laid out alternative by alternative,
        ``utility[j, i]`` (alternatives, len(ids)): the same choices."""
        utility = np.ascontiguousarray(utility, dtype=np.float64)
        if not utility.shape[0]:  # as np.argmax of an empty row
            raise ValueError("choice among zero alternatives")
        return _first_max_kernel(utility, self._log_log_uniform(ids, utility.shape[0]))
