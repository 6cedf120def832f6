#!/usr/bin/python3
"""Minimal safetensors reader/writer with numpy only (no `safetensors` package).

Format: 8-byte little-endian unsigned header length N, then N bytes of UTF-8
JSON

    {"<name>": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]},
     ..., "__metadata__": {"key": "string value", ...}}

padded with trailing spaces so that 8 + N is a multiple of 8, then the raw
little-endian tensor bytes.  Offsets are relative to the start of the data
section; tensors are stored contiguously in the order listed (insertion order
of the dict given to save()).

    save(path, tensors: dict[str, np.ndarray], metadata: dict[str, str] | None)
    load(path) -> (dict[str, np.ndarray], dict[str, str])
"""

import json
import os
import struct

import numpy as np

# safetensors dtype tag <-> little-endian numpy dtype
_DTYPES = {
    "F64": np.dtype("<f8"),
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "I64": np.dtype("<i8"),
    "I32": np.dtype("<i4"),
    "I16": np.dtype("<i2"),
    "I8": np.dtype("i1"),
    "U8": np.dtype("u1"),
    "BOOL": np.dtype("?"),
}


def _tag_of(dtype):
    dtype = np.dtype(dtype)
    for tag, dt in _DTYPES.items():
        if dt.kind == dtype.kind and dt.itemsize == dtype.itemsize:
            return tag
    raise ValueError("unsupported dtype %s" % dtype)


def save(path, tensors, metadata=None):
    """Write `tensors` (name -> numpy array, insertion order kept) to `path`.

    metadata values must be strings.  The file is written to a temporary
    name and renamed, so a failure leaves no partial file behind.
    """
    header = {}
    blobs = []
    offset = 0
    for name, arr in tensors.items():
        if name == "__metadata__":
            raise ValueError("'__metadata__' is reserved")
        arr = np.asarray(arr)
        tag = _tag_of(arr.dtype)
        data = np.ascontiguousarray(arr, dtype=_DTYPES[tag]).tobytes()
        header[name] = {
            "dtype": tag,
            "shape": [int(s) for s in arr.shape],
            "data_offsets": [offset, offset + len(data)],
        }
        blobs.append(data)
        offset += len(data)
    if metadata:
        for k, v in metadata.items():
            if not isinstance(k, str) or not isinstance(v, str):
                raise TypeError("metadata keys and values must be str: %r=%r" % (k, v))
        header["__metadata__"] = dict(metadata)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def load(path):
    """Read a safetensors file -> (dict name -> numpy array, metadata dict).

    Tensors are returned in the order the header lists them (= insertion
    order for files written by save()), as fresh writable native-endian
    arrays.  The tensors must exactly tile the data section.
    """
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise ValueError("%s: too short for a safetensors file" % path)
    (n,) = struct.unpack("<Q", raw[:8])
    if 8 + n > len(raw):
        raise ValueError("%s: header length %d past end of file" % (path, n))
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = memoryview(raw)[8 + n:]
    metadata = header.pop("__metadata__", None) or {}
    # validate that the tensors tile the data section (in offset order), but
    # return them in the order the header lists them
    items = sorted(header.items(), key=lambda kv: tuple(kv[1]["data_offsets"]))
    arrays = {}
    expect = 0
    for name, info in items:
        tag = info["dtype"]
        if tag not in _DTYPES:
            raise ValueError("%s: tensor %s has unsupported dtype %s" % (path, name, tag))
        dt = _DTYPES[tag]
        shape = tuple(int(s) for s in info["shape"])
        begin, end = (int(x) for x in info["data_offsets"])
        count = int(np.prod(shape, dtype=np.int64))
        if begin != expect or end - begin != count * dt.itemsize or end > len(data):
            raise ValueError("%s: tensor %s has bad data_offsets %r" % (path, name, [begin, end]))
        expect = end
        arr = np.frombuffer(data[begin:end], dtype=dt).reshape(shape)
        arrays[name] = arr.astype(dt.newbyteorder("="), copy=True)
    if expect != len(data):
        raise ValueError("%s: %d trailing bytes after the last tensor" % (path, len(data) - expect))
    return {name: arrays[name] for name in header}, metadata


if __name__ == "__main__":
    import sys

    for p in sys.argv[1:]:
        t, m = load(p)
        print(p)
        for k, v in m.items():
            print("  meta %s = %s" % (k, v))
        for k, v in t.items():
            print("  %-45s %-4s %s" % (k, _tag_of(v.dtype), list(v.shape)))
