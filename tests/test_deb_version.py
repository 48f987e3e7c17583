"""The .deb's version is the release's, in the form dpkg orders the way PEP 440 does (issue 10).

A pre-release written as-is (``1.2.0rc1``) sorts AFTER ``1.2.0`` for dpkg, so apt would refuse the final release
as a downgrade of its own release candidate; ``1.2.0.post1`` would sort after ``1.2.0.1``. The mapping
(``sync.release.debian_version``, and ``deb_version`` in packaging/lib.sh, which build-deb.sh uses) is checked
here against dpkg itself: for any two releases, ``dpkg --compare-versions`` agrees with PEP 440's order.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sync.release import ReleaseError, debian_version, version_key

PKG = Path(__file__).resolve().parents[1] / "packaging"
DPKG = shutil.which("dpkg")
needs_dpkg = pytest.mark.skipif(DPKG is None, reason="dpkg is not installed: the Debian order cannot be checked")

_numbers = st.integers(min_value=0, max_value=12)
versions = st.builds(
    lambda release, pre, post, dev: ".".join(map(str, release)) + (f"{pre[0]}{pre[1]}" if pre else "")
    + (f".post{post}" if post is not None else "") + (f".dev{dev}" if dev is not None else ""),
    st.lists(_numbers, min_size=2, max_size=4),
    st.none() | st.tuples(st.sampled_from(["a", "b", "rc"]), _numbers),
    st.none() | _numbers,
    st.none() | _numbers,
)


def dpkg_relation(a: str, b: str) -> str:
    for op in ("lt", "eq", "gt"):
        if subprocess.run(["dpkg", "--compare-versions", a, op, b], check=False).returncode == 0:
            return op
    raise AssertionError(f"dpkg cannot compare {a} and {b}")


def pep440_relation(a: str, b: str) -> str:
    ka, kb = version_key(a), version_key(b)
    return "lt" if ka < kb else "eq" if ka == kb else "gt"


@pytest.mark.parametrize(("version", "debian"), [
    ("1.2.0", "1.2.0"), ("1.2.0rc1", "1.2.0~rc1"), ("1.2.0a2", "1.2.0~a2"), ("1.2.0b1", "1.2.0~b1"),
    ("1.2.0.dev3", "1.2.0~~dev3"), ("1.2.0.post1", "1.2.0+post1"), ("1.2.0rc1.dev2", "1.2.0~rc1~dev2"),
    ("1.2.0.post1.dev2", "1.2.0+post1~dev2"), ("1.2", "1.2.0"), ("1.2.0.0", "1.2.0"), ("1.2.0.1", "1.2.0.1"),
    ("01.02.00rc01", "1.2.0~rc1"),
])
def test_the_debian_form_of_a_release(version: str, debian: str) -> None:
    assert debian_version(version) == debian


@needs_dpkg
@pytest.mark.parametrize(("older", "newer"), [
    ("1.2.0.dev3", "1.2.0a1"), ("1.2.0a1", "1.2.0b1"), ("1.2.0b1", "1.2.0rc1"), ("1.2.0rc1", "1.2.0"),
    ("1.2.0", "1.2.0.post1"), ("1.2.0.post1", "1.2.0.1"), ("1.2.0rc1", "1.2.0rc1.post1"),
    ("1.2.0rc1.post1", "1.2.0rc2"), ("1.9.0", "1.10.0"), ("1.2.0.post1.dev1", "1.2.0.post1"),
])
def test_apt_takes_the_final_release_after_its_release_candidate(older: str, newer: str) -> None:
    """The cases a chain meets: without the mapping dpkg says 1.2.0rc1 > 1.2.0 and apt calls 1.2.0 a downgrade."""
    assert dpkg_relation(debian_version(older), debian_version(newer)) == "lt"
    assert dpkg_relation(debian_version(newer), debian_version(older)) == "gt"


@needs_dpkg
def test_written_as_is_dpkg_would_order_a_release_candidate_after_its_release() -> None:
    """Why the mapping exists (if dpkg ever changed this, the test above would still hold)."""
    assert dpkg_relation("1.2.0rc1", "1.2.0") == "gt"


@needs_dpkg
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(versions, versions)
@example("1.2", "1.2.0.0")
@example("1.2.0.post1", "1.2.0.1")
@example("1.2.0.dev1", "1.2.0a1.dev1")
def test_dpkg_orders_the_debian_forms_as_pep440_orders_the_releases(a: str, b: str) -> None:
    assert dpkg_relation(debian_version(a), debian_version(b)) == pep440_relation(a, b)


@settings(max_examples=60, deadline=None)
@given(st.lists(versions, min_size=1, max_size=12))
def test_the_shell_mapping_of_build_deb_is_the_same(batch: list[str]) -> None:
    script = f'. "{PKG}/lib.sh"; for v in "$@"; do deb_version "$v"; echo; done'
    out = subprocess.run(["bash", "-c", script, "x", *batch], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == [debian_version(v) for v in batch]


@pytest.mark.parametrize("bad", ["1", "1.2.0-1", "1.2.0+local", "v1.2.0", "1.2.0rc", "", "1.2.0~rc1"])
def test_a_version_that_is_not_a_release_is_refused(bad: str) -> None:
    with pytest.raises(ReleaseError) as caught:
        debian_version(bad)
    assert caught.value.code == "bad_version"
    assert caught.value.message == f"{bad!r} is not a release version such as 1.2.0"
    shell = subprocess.run(["bash", "-c", f'. "{PKG}/lib.sh"; deb_version "$1"', "x", bad],
                           capture_output=True, text=True, check=False)
    assert shell.returncode == 1 and shell.stdout == ""
    assert shell.stderr == f"error: {bad} is not a release version such as 1.2.0 (PEP 440: 1.2.0rc1, 1.2.0.post1, " \
                           "1.2.0.dev3)\n"
