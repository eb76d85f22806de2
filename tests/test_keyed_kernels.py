"""The Numba kernels of growthpole.mechanisms.keyed against the NumPy formulation they
replaced (kept here, verbatim, as the reference): the same bits and the same floats for
millions of random ids and keys, the edge ids 0 and 2**63 - 1, scalar and broadcast columns,
consideration probabilities at and near 0 and 1, masks, and logit choices with ties and NaN.
The model runs only the kernels; byte identity of whole runs is checked in
docs/performance.md.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
from scipy.special import ndtri

from growthpole.mechanisms import keyed

# ---- the NumPy reference (growthpole/mechanisms/keyed.py before the kernels) ----

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_COLUMN = np.uint64(0xD1B54A32D192ED03)
_S30, _S27, _S31, _S11 = (np.uint64(s) for s in (30, 27, 31, 11))
_UNIT = 2.0**-53
_TWO64 = 1 << 64
_TOP33 = np.uint64(0xFFFFFFFE00000000)  # the top 31 bits (untouched by the final z ^= z >> 31)
_BLOCK = 1 << 20  # ids hashed per block (bounds the work arrays: 2 x 8 MB; smaller blocks,
# which would stay in a core's L2 cache, measured no faster: per-call overheads)
_SCRATCH = threading.local()  # per-thread work buffers (runs may share a process in threads)


def _scratch(slot: str, n: int, dtype: type = np.uint64) -> np.ndarray:
    """A reusable work array of ``n`` elements (contents undefined). Large temporaries
    allocated and freed at every draw made glibc return and re-fault their pages: ~0.5 ms of a
    0.2 ms hash over 100k ids (docs/performance.md). Never returned to callers."""
    buffers = getattr(_SCRATCH, "buffers", None)
    if buffers is None:
        buffers = _SCRATCH.buffers = {}
    buffer = buffers.get(slot)
    if buffer is None or buffer.dtype != dtype or len(buffer) < n:
        buffer = buffers[slot] = np.empty(
            max(n, 1024, 0 if buffer is None else 2 * len(buffer)), dtype=dtype
        )
    return buffer[:n]


# the exact integer threshold of the consideration test is plain Python shared by both
# formulations (not compiled), so the reference uses the module's own
_bits_threshold = keyed._bits_threshold


def splitmix64(values: np.ndarray) -> np.ndarray:
    """The SplitMix64 finaliser applied element-wise to uint64 values."""
    return _splitmix64_inplace(np.array(values, dtype=np.uint64))


def _splitmix64_inplace(z: np.ndarray) -> np.ndarray:
    """:func:`splitmix64` overwriting ``z`` (uint64): the same operations without a new
    array per operation, ≈5x faster over 100k ids (docs/performance.md)."""
    z += _GOLDEN
    shifted = z >> _S30
    z ^= shifted
    z *= _MIX1
    np.right_shift(z, _S27, out=shifted)
    z ^= shifted
    z *= _MIX2
    np.right_shift(z, _S31, out=shifted)
    z ^= shifted
    return z


class NumpyKeyedStream:
    """The NumPy formulation of KeyedStream (the reference)."""

    def __init__(self, seed_sequence: np.random.SeedSequence) -> None:
        self.key = np.uint64(seed_sequence.generate_state(1, np.uint64)[0])

    def bits(self, ids: np.ndarray, column: int | np.ndarray = 0) -> np.ndarray:
        mixed = np.asarray(ids).astype(np.uint64)  # a copy, overwritten in place below
        column = np.asarray(column, dtype=np.uint64)
        with np.errstate(over="ignore"):
            mixed ^= self.key
            _splitmix64_inplace(mixed)
            offset = (column + np.uint64(1)) * _COLUMN
            if offset.ndim == 0:
                mixed += offset
                return _splitmix64_inplace(mixed)
            return _splitmix64_inplace(mixed + offset)  # broadcasts to a new shape

    def _keyed_ids(self, ids: np.ndarray, slot: str) -> np.ndarray:
        """splitmix64(ids ^ key), the first round of :meth:`bits`, in a work buffer."""
        ids = np.asarray(ids)
        mixed = _scratch(slot, ids.size).reshape(ids.shape)
        if ids.dtype.kind in "iu" and ids.dtype.itemsize == 8:
            np.bitwise_xor(ids.view(np.uint64), self.key, out=mixed)  # same bits as astype
        else:
            mixed[...] = ids.astype(np.uint64)
            mixed ^= self.key
        return _splitmix64_inplace(mixed)

    def _final_round(self, z: np.ndarray, shifted: np.ndarray, last_xor: bool = True) -> None:
        """The second splitmix64 round on z = mixed + column offset + golden (the golden-ratio
        increment already added): :func:`_splitmix64_inplace` without its first addition;
        without the final ``z ^= z >> 31`` when ``last_xor`` is False."""
        np.right_shift(z, _S30, out=shifted)
        z ^= shifted
        z *= _MIX1
        np.right_shift(z, _S27, out=shifted)
        z ^= shifted
        z *= _MIX2
        if last_xor:
            np.right_shift(z, _S31, out=shifted)
            z ^= shifted

    def rows_below(
        self, ids: np.ndarray, probability: float, mask: np.ndarray | None = None
    ) -> np.ndarray:
        """``np.flatnonzero(mask & (self.uniform(ids) < probability))`` (column 0), exactly,
        for a scalar probability, without forming the uniforms: the comparison is made on
        the hashed bits (:func:`_bits_threshold`), and on their top 31 bits before the last
        xor-shift, which leaves them unchanged; only the few rows whose top bits tie with
        the threshold's, or fall below it, finish the hash. The ids are hashed in blocks of
        _BLOCK in reused work arrays."""
        ids = np.asarray(ids).ravel()
        threshold = _bits_threshold(float(probability))
        if threshold <= 0:
            return np.zeros(0, dtype=np.intp)
        top = (threshold + (1 << 33)) & ~((1 << 33) - 1)  # next multiple of 2^33
        if top >= _TWO64:  # (almost) every draw is below: no shortcut
            rows = np.flatnonzero(self.uniform(ids) < probability)
            return rows if mask is None else rows[np.asarray(mask).ravel()[rows]]
        top, threshold = np.uint64(top), np.uint64(threshold)
        column0 = np.uint64((int(_COLUMN) + int(_GOLDEN)) % _TWO64)  # (0 + 1) C + golden
        z_all = _scratch("z", min(ids.size, _BLOCK))
        shifted_all = _scratch("shifted", min(ids.size, _BLOCK))
        below_all = _scratch("below", min(ids.size, _BLOCK), np.bool_)
        found = []
        for start in range(0, ids.size, _BLOCK):
            block = ids[start : start + _BLOCK]
            n = block.size
            z, shifted, below = z_all[:n], shifted_all[:n], below_all[:n]
            if block.dtype.kind in "iu" and block.dtype.itemsize == 8:
                np.bitwise_xor(block.view(np.uint64), self.key, out=z)  # same bits as astype
            else:
                z[:] = block.astype(np.uint64)
                z ^= self.key
            z += _GOLDEN
            self._final_round(z, shifted)  # first round: splitmix64(id ^ key)
            z += column0
            self._final_round(z, shifted, last_xor=False)
            # rows whose top 31 bits are <= the threshold's: a superset of the rows below
            np.less(z, top, out=below)
            if mask is not None:
                below &= mask[start : start + n]
            candidates = np.flatnonzero(below)
            final = z[candidates]
            final ^= final >> _S31
            found.append(candidates[final < threshold] + start)
        return np.concatenate(found) if found else np.zeros(0, dtype=np.intp)

    def uniform(self, ids: np.ndarray, column: int | np.ndarray = 0) -> np.ndarray:
        """U(0, 1), never exactly 0 or 1."""
        if isinstance(column, (int, np.integer)) and 0 <= column < 1 << 32:
            # the same bits as self.bits(ids, column) with fewer passes, in work arrays
            ids = np.asarray(ids)
            z = self._keyed_ids(ids, "uniform_z")
            z += np.uint64(((int(column) + 1) * int(_COLUMN) + int(_GOLDEN)) % _TWO64)
            self._final_round(z, _scratch("uniform_shifted", ids.size).reshape(ids.shape))
            z >>= _S11
            uniform = z.astype(np.float64)
            uniform += 0.5
            uniform *= _UNIT
            return uniform
        bits = self.bits(ids, column)
        bits >>= _S11
        uniform = bits.astype(np.float64)
        uniform += 0.5
        uniform *= _UNIT
        return uniform

    def normal(self, ids: np.ndarray, column: int = 0) -> np.ndarray:
        """N(0, 1) by inversion of the uniform."""
        return ndtri(self.uniform(ids, column))

    def gumbel(self, ids: np.ndarray, alternatives: int) -> np.ndarray:
        """(len(ids), alternatives) standard Gumbel draws, one column per alternative."""
        columns = np.arange(1, alternatives + 1, dtype=np.uint64)[None, :]
        uniform = self.uniform(np.asarray(ids)[:, None], columns)
        return -np.log(-np.log(uniform))

    def _log_log_uniform(self, ids: np.ndarray, alternatives: int) -> tuple[np.ndarray, np.ndarray]:
        """(L, work): L = ln(-ln u) of the uniforms of :meth:`gumbel` (whose noise is -L),
        laid out alternative by alternative, (alternatives, len(ids)), in reused work arrays
        (contiguous passes); ``work`` is a free float64 array of the same size. The per-id
        round of the hash is made once per row, the column offsets and the golden-ratio
        increment are added together (mod 2^64), and the shifted bits (< 2^53) are converted
        to float through int64 (the same values)."""
        ids = np.asarray(ids)
        n = len(ids)
        size = n * alternatives
        with np.errstate(over="ignore"):
            mixed = self._keyed_ids(ids, "choice_ids")
            offsets = np.array(
                [
                    ((column + 1) * int(_COLUMN) + int(_GOLDEN)) % _TWO64
                    for column in range(1, alternatives + 1)
                ],
                dtype=np.uint64,
            )
            z = _scratch("choice_z", size).reshape(alternatives, n)
            np.add(offsets[:, None], mixed[None, :], out=z)
            shifted = _scratch("choice_shifted", size).reshape(alternatives, n)
            self._final_round(z, shifted)
        z >>= _S11
        # two work arrays in all (the float values reuse the integer ones' memory)
        log_log = shifted.view(np.float64)
        np.copyto(log_log, z.view(np.int64), casting="unsafe")  # < 2^53: exact either way
        log_log += 0.5
        log_log *= _UNIT
        np.log(log_log, out=log_log)
        np.negative(log_log, out=log_log)
        np.log(log_log, out=log_log)
        return log_log, z.view(np.float64)

    def choice(self, utility: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Row-wise multinomial-logit choice: argmax of utility + keyed Gumbel noise.

        The same numbers as ``np.argmax(utility + self.gumbel(ids, m), axis=1)``, with
        utility + (-L) computed as utility - L (IEEE a + (-b) is a - b)."""
        utility = np.asarray(utility)
        n, alternatives = utility.shape
        log_log, work = self._log_log_uniform(ids, alternatives)
        noise = work.reshape(n, alternatives)
        np.subtract(utility, log_log.T, out=noise)
        return np.argmax(noise, axis=1)

    def choice_by_alternative(self, utility: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """:meth:`choice` for the utility laid out alternative by alternative,
        ``utility[j, i]`` (alternatives, len(ids)): the same choices. The first maximum of
        each column is found with contiguous passes (maximum, equality, the smallest index
        that attains it) instead of a per-row argmax; columns holding a NaN, where
        np.argmax returns the first NaN, take np.argmax itself."""
        utility = np.asarray(utility)
        alternatives, n = utility.shape
        log_log, work = self._log_log_uniform(ids, alternatives)
        noise = work.reshape(alternatives, n)
        np.subtract(utility, log_log, out=noise)
        best = noise.max(axis=0)
        if np.isnan(best).any():
            return np.argmax(noise.T, axis=1)
        attains = noise == best[None, :]
        return np.where(attains, np.arange(alternatives)[:, None], alternatives).min(axis=0)


# ---- the tests ----

EDGE_IDS = np.array([0, 1, 2, 2**32 - 1, 2**32, 2**62, 2**63 - 2, 2**63 - 1], dtype=np.int64)


def random_ids(seed: int, n: int) -> np.ndarray:
    ids = np.random.default_rng(seed).integers(0, 2**63 - 1, n, dtype=np.int64, endpoint=True)
    ids[: EDGE_IDS.size] = EDGE_IDS
    return ids


def streams(seed: int) -> tuple[NumpyKeyedStream, keyed.KeyedStream]:
    sequence = np.random.SeedSequence(seed)
    return NumpyKeyedStream(sequence), keyed.KeyedStream(sequence)


def test_splitmix64_matches_reference():
    values = random_ids(0, 1_000_000).view(np.uint64)
    with np.errstate(over="ignore"):
        assert np.array_equal(keyed.splitmix64(values), splitmix64(values))
    assert np.array_equal(
        keyed.splitmix64(values.reshape(1000, 1000)), splitmix64(values.reshape(1000, 1000))
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bits_and_uniform_match_reference(seed):
    ids = random_ids(seed, 1_000_000)
    reference, kernel = streams(seed)
    for column in (0, 1, 7, 99, 2**32 + 5, 2**64 - 1):
        assert np.array_equal(kernel.bits(ids, column), reference.bits(ids, column))
        assert np.array_equal(kernel.uniform(ids, column), reference.uniform(ids, column))
    assert np.array_equal(kernel.normal(ids[:100_000], 3), reference.normal(ids[:100_000], 3))
    # other id types (converted as astype(np.uint64) converts them), 2-D ids, broadcast columns
    small = np.random.default_rng(seed).integers(-(2**31), 2**31 - 1, 10_000, dtype=np.int32)
    assert np.array_equal(kernel.uniform(small), reference.uniform(small))
    assert np.array_equal(
        kernel.uniform(ids[:10_000].reshape(100, 100), 2),
        reference.uniform(ids[:10_000].reshape(100, 100), 2),
    )
    columns = np.arange(6, dtype=np.uint64)[None, :]
    assert np.array_equal(
        kernel.bits(ids[:10_000, None], columns), reference.bits(ids[:10_000, None], columns)
    )
    assert np.array_equal(kernel.gumbel(ids[:10_000], 9), reference.gumbel(ids[:10_000], 9))


@pytest.mark.parametrize("seed", [0, 1])
def test_rows_below_matches_reference(seed):
    ids = random_ids(seed, 1_000_000)
    reference, kernel = streams(seed)
    mask = np.random.default_rng(seed + 10).random(ids.size) < 0.8
    for probability in (
        0.0,
        1e-300,
        2.0**-54,
        1e-6,
        0.01,
        0.05,
        0.3,
        0.5,
        0.999999,
        1 - 2.0**-40,
        1 - 2.0**-53,
        1.0,
        1.5,
    ):
        expected = reference.rows_below(ids, probability)
        assert np.array_equal(kernel.rows_below(ids, probability), expected)
        assert np.array_equal(expected, np.flatnonzero(reference.uniform(ids) < probability))
        assert np.array_equal(
            kernel.rows_below(ids, probability, mask), reference.rows_below(ids, probability, mask)
        )


@pytest.mark.parametrize("seed", [0, 1])
def test_choices_match_reference(seed):
    rng = np.random.default_rng(seed)
    reference, kernel = streams(seed)
    for n, alternatives in ((0, 9), (1, 9), (7, 2), (5_000, 9), (200_000, 9), (3_000, 1)):
        ids = random_ids(seed + n, max(n, EDGE_IDS.size))[:n]
        utility = rng.normal(size=(alternatives, n))
        if n > 10:
            utility[:, :3] = 0.0  # equal utilities (ties broken by the noise)
            utility[:, 3] = np.inf  # ties at the maximum: the first one wins
            utility[min(2, alternatives - 1), 5] = np.nan
            utility[:, 6] = np.nan
        assert np.array_equal(
            kernel.choice_by_alternative(utility, ids),
            reference.choice_by_alternative(utility, ids),
        )
        rows = np.ascontiguousarray(utility.T)
        assert np.array_equal(kernel.choice(rows, ids), reference.choice(rows, ids))
        clean = rng.normal(size=(alternatives, n)) * 3.0
        assert np.array_equal(
            kernel.choice_by_alternative(clean, ids), reference.choice_by_alternative(clean, ids)
        )
