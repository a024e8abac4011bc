#!/usr/bin/env python3
"""(Re)generates the seed corpus of the libFuzzer targets under tests/fuzz/corpus/<target>/.

Seeds are small, valid and malformed RESP2/RESP3 samples (the DEBUG PROTOCOL outputs among
them), so the fuzzer starts from every type instead of rediscovering the grammar. Files named
repro-* are crash reproducers added by hand: they are kept, never regenerated or deleted.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")


def bulk(s):
    b = s.encode() if isinstance(s, str) else s
    return b"$%d\r\n%s\r\n" % (len(b), b)


# Valid replies: every type, nulls of both protocols, streamed forms, nesting.
VALID = {
    # DEBUG PROTOCOL <type> on redis 7.0 (RESP3), byte for byte.
    "debug_string": b"$11\r\nHello World\r\n",
    "debug_integer": b":12345\r\n",
    "debug_double": b",3.141\r\n",
    "debug_bignum": b"(1234567999999999999999999999999999999\r\n",
    "debug_null": b"_\r\n",
    "debug_array": b"*3\r\n:0\r\n:1\r\n:2\r\n",
    "debug_set": b"~3\r\n:0\r\n:1\r\n:2\r\n",
    "debug_map": b"%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n",
    "debug_attrib": b"|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n"
                    + bulk("Some real reply following the attribute"),
    "debug_push": b">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n" + bulk("Some real reply following the push reply"),
    "debug_verbatim": b"=29\r\ntxt:This is a verbatim\nstring\r\n",
    "debug_true": b"#t\r\n",
    "debug_false": b"#f\r\n",
    # Other scalars.
    "simple_string": b"+OK\r\n",
    "simple_error": b"-ERR unknown command 'FOO'\r\n",
    "integer_min": b":-9223372036854775808\r\n",
    "integer_max": b":9223372036854775807\r\n",
    "integer_plus": b":+7\r\n",
    "bulk_empty": b"$0\r\n\r\n",
    "bulk_binary": bulk(bytes(range(256))),
    "bulk_crlf_inside": bulk(b"a\r\nb\r\n"),
    "bulk_error": b"!21\r\nSYNTAX invalid syntax\r\n",
    "verbatim": b"=15\r\ntxt:Some string\r\n",
    "verbatim_mkd": b"=8\r\nmkd:# hi\r\n",
    "double_inf": b",inf\r\n",
    "double_neg_inf": b",-inf\r\n",
    "double_nan": b",nan\r\n",
    "double_exp": b",-1.5e-10\r\n",
    "double_int": b",10\r\n",
    "bignum_negative": b"(-3492890328409238509324850943850943825024385\r\n",
    "resp2_null_bulk": b"$-1\r\n",
    "resp2_null_array": b"*-1\r\n",
    # Aggregates.
    "array_empty": b"*0\r\n",
    "map_empty": b"%0\r\n",
    "set_empty": b"~0\r\n",
    "nested": b"*2\r\n*2\r\n:1\r\n:2\r\n*3\r\n$1\r\na\r\n_\r\n%1\r\n+k\r\n,1.5\r\n",
    "nested_deep": b"*1\r\n" * 40 + b":1\r\n",
    "nested_10x10": b"*10\r\n" + (b"*10\r\n" + b":7\r\n" * 10) * 10,
    "hgetall_resp2": b"*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n",
    "hello_map": b"%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n"
                 b"$2\r\nid\r\n:5\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
                 b"$7\r\nmodules\r\n*0\r\n",
    "push_invalidate": b">2\r\n$10\r\ninvalidate\r\n*1\r\n$2\r\ntk\r\n",
    "push_smessage": b">3\r\n$8\r\nsmessage\r\n$3\r\nch1\r\n$2\r\nhi\r\n",
    "attribute_in_array": b"*2\r\n|1\r\n+ttl\r\n:100\r\n$1\r\nv\r\n:2\r\n",
    # An empty attribute still describes the value after it: one reply, not two.
    "attribute_empty": b"|0\r\n:1\r\n",
    "attribute_nested": b"|1\r\n+a\r\n|1\r\n+b\r\n:1\r\n*1\r\n:2\r\n:3\r\n",
    # Streamed forms.
    "streamed_string": b"$?\r\n;4\r\nHell\r\n;5\r\no wor\r\n;1\r\nd\r\n;0\r\n",
    "streamed_string_empty": b"$?\r\n;0\r\n",
    "streamed_array": b"*?\r\n:1\r\n$3\r\nfoo\r\n.\r\n",
    "streamed_map": b"%?\r\n+a\r\n:1\r\n+b\r\n:2\r\n.\r\n",
    "streamed_set": b"~?\r\n+x\r\n.\r\n",
    "streamed_push": b">?\r\n+message\r\n.\r\n",
    "streamed_attribute": b"|?\r\n+k\r\n+v\r\n.\r\n:1\r\n",
    "streamed_nested": b"*?\r\n*?\r\n$?\r\n;1\r\na\r\n;0\r\n.\r\n*1\r\n:1\r\n.\r\n",
    # Several replies back to back (pipelining).
    "pipeline": b"+OK\r\n:1\r\n$3\r\nbar\r\n*-1\r\n_\r\n>2\r\n+pong\r\n$0\r\n\r\n-ERR x\r\n",
}

# Malformed or over-limit input: each must fail the same way however it is split.
MALFORMED = {
    "bad_type_byte": b"?3\r\n",
    "bare_lf": b"+a\nb\r\n",
    "bare_cr": b"+a\rb\r\n",
    "integer_alpha": b":12a\r\n",
    "integer_overflow": b":9223372036854775808\r\n",
    "integer_empty": b":\r\n",
    "length_negative": b"*-2\r\n",
    "length_huge": b"*4294967296\r\n",
    "bulk_huge": b"$99999999999999999999999\r\n",
    "bulk_too_long": b"$536870913\r\n",
    "map_count_overflow": b"%9223372036854775808\r\n",
    "missing_crlf": b"$5\r\nhello!!",
    "short_bulk": b"$5\r\nhel\r\n\r\n",
    "double_word": b",infinity\r\n",
    "double_hex": b",0x1p3\r\n",
    "boolean_bad": b"#x\r\n",
    "null_bad": b"_x\r\n",
    "bignum_bad": b"(12a\r\n",
    "verbatim_no_colon": b"=3\r\ntxt\r\n",
    "chunk_outside": b";3\r\nabc\r\n",
    "end_outside": b".\r\n",
    "chunk_in_array": b"*?\r\n;1\r\na\r\n",
    "non_chunk_in_string": b"$?\r\n:1\r\n",
    "streamed_integer": b":?\r\n",
    "map_ends_mid_pair": b"%?\r\n+a\r\n.\r\n",
    "end_with_text": b"*?\r\n.x\r\n",
    "empty_line": b"\r\n",
    "too_deep": b"*1\r\n" * 1025 + b":1\r\n",
}


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def split_seeds(name, data):
    """fuzz_parse_split inputs: a header byte, optional 4 limit bytes, chunk sizes, payload."""
    yield name + "-bytewise", bytes([0x00]) + data
    yield name + "-chunks", bytes([0x03, 2, 0, 6]) + data  # 3, 1, 7, 3, 1, 7, ...
    yield name + "-limits", bytes([0x11, 3, 20, 16, 8, 4]) + data  # depth 3, bulk 20, line 16, 8 elements


def roundtrip_seed(args):
    """fuzz_roundtrip input: tag % 6 = 0 text, 1 int64, 2 uint64, 3 double bits, 4 special double, 5 special int."""
    out = b""
    for a in args:
        if isinstance(a, bytes):
            out += bytes([0, len(a)]) + a
        elif isinstance(a, int):
            out += bytes([1]) + struct.pack("<q", a)
        elif isinstance(a, float):
            out += bytes([3]) + struct.pack("<d", a)
        elif isinstance(a, tuple):  # ("special-double", index) / ("special-int", index)
            out += bytes([4 if a[0] == "special-double" else 5, a[1]])
    return out


ROUNDTRIP = {
    "get": [b"bench:key:000001"],
    "set_ex": [b"key", b"value", b"EX", 10],
    "binary": [bytes(range(200)), b"", b"\r\n$3\r\n"],
    "numbers": [0, -1, 2**63 - 1, -(2**63), 3.5, -0.0, 1e-300, 5e-324, float("inf"), float("-inf"), float("nan")],
    "specials": [("special-double", i) for i in range(14)] + [("special-int", i) for i in range(7)],
    "empty": [],
}


def main():
    for target in ("fuzz_parse_one", "fuzz_parse_split", "fuzz_roundtrip"):
        d = os.path.join(CORPUS, target)
        if os.path.isdir(d):
            for f in os.listdir(d):
                if not f.startswith("repro-"):
                    os.remove(os.path.join(d, f))
    samples = {**{"ok-" + k: v for k, v in VALID.items()}, **{"bad-" + k: v for k, v in MALFORMED.items()}}
    for name, data in samples.items():
        write("fuzz_parse_one", name, data)
        for seed_name, seed in split_seeds(name, data):
            write("fuzz_parse_split", seed_name, seed)
    # All valid replies in one stream, so the split target also crosses reply boundaries.
    stream = b"".join(VALID.values())
    write("fuzz_parse_one", "ok-all", stream)
    write("fuzz_parse_split", "ok-all-chunks", bytes([0x02, 15, 40]) + stream)
    for name, args in ROUNDTRIP.items():
        write("fuzz_roundtrip", name, roundtrip_seed(args))


if __name__ == "__main__":
    main()
