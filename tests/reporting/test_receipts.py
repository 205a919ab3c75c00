"""The receipt format: entropy, normalisation, round trip, hashing."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intact.reporting import receipts

receipt_strategy = st.text(alphabet=receipts.ALPHABET, min_size=20, max_size=20)


def test_entropy_is_at_least_80_bits():
    assert len(set(receipts.ALPHABET)) == 32
    assert receipts.ENTROPY_BITS == receipts.LENGTH * math.log2(len(receipts.ALPHABET)) == 100
    assert receipts.SECRET_BITS >= 75
    assert not set("ILOU") & set(receipts.ALPHABET)


def test_generated_receipts_use_the_whole_alphabet_and_differ():
    seen = [receipts.generate() for _ in range(400)]
    assert len(set(seen)) == len(seen)
    assert set("".join(seen)) == set(receipts.ALPHABET)
    assert all(len(r) == 20 for r in seen)


@given(receipt_strategy)
def test_format_and_normalise_round_trip(value):
    formatted = receipts.format_receipt(value)
    assert formatted.count("-") == 3
    assert [len(g) for g in formatted.split("-")] == [5, 5, 5, 5]
    assert receipts.normalise(formatted) == value


@given(receipt_strategy, st.lists(st.sampled_from([" ", "-", "  ", "\t", "–"]), min_size=0, max_size=6), st.data())
def test_normalise_tolerates_case_spaces_dashes(value, separators, data):
    chars = list(value.lower())
    for sep in separators:
        pos = data.draw(st.integers(min_value=0, max_value=len(chars)))
        chars.insert(pos, sep)
    assert receipts.normalise("".join(chars)) == value


@given(receipt_strategy)
def test_confusable_letters_are_mapped(value):
    typed = value.replace("0", "O").replace("1", "I").replace("V", "U")
    assert receipts.normalise(typed) == value
    assert receipts.normalise(value.replace("1", "l")) == value


@given(st.text(max_size=40))
def test_normalise_never_accepts_garbage(text):
    try:
        out = receipts.normalise(text)
    except receipts.MalformedReceipt:
        return
    assert len(out) == 20 and set(out) <= set(receipts.ALPHABET)


@pytest.mark.parametrize("bad", ["", "ABC", "A" * 19, "A" * 21, "!" * 20, "ÄBCDEFGHJKMNPQRSTVWX"])
def test_malformed(bad):
    with pytest.raises(receipts.MalformedReceipt):
        receipts.normalise(bad)


def test_split_lookup_and_secret():
    value = receipts.generate()
    lookup, secret = receipts.split(value)
    assert lookup + secret == value
    assert len(lookup) == 5 and len(secret) == 15


@pytest.mark.django_db
def test_hash_is_argon2id_with_owasp_parameters_and_per_report_salt():
    secret = "ABCDEFGHJKMNPQR"
    h1 = receipts.hash_secret(secret)
    h2 = receipts.hash_secret(secret)
    assert h1.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert h1 != h2  # its own salt each time
    assert secret not in h1
    assert receipts.verify_secret(h1, secret)
    assert not receipts.verify_secret(h1, "ABCDEFGHJKMNPQS")


@pytest.mark.django_db
def test_lookup_digest_depends_on_pepper_and_organisation():
    a = receipts.lookup_digest(1, "ABCDE")
    assert a != receipts.lookup_digest(2, "ABCDE")
    assert "ABCDE" not in a and len(a) == 64


@pytest.mark.django_db
def test_secret_hash_uses_the_pepper(settings):
    """The same secret hashed under another pepper does not verify: the pepper is in the input."""
    from intact.security import keys

    secret = "ABCDEFGHJKMNPQR"
    h = receipts.hash_secret(secret)
    ring = keys.keyring()
    import dataclasses

    other = dataclasses.replace(ring, receipt_pepper=b"\x01" * 32)
    keys._cache = other  # noqa: SLF001 - simulate a different installation
    try:
        assert not receipts.verify_secret(h, secret)
    finally:
        keys.reset()
