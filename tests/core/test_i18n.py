"""One catalog (Qt Linguist .ts) read without Qt: finished Thai translations only, English as the fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.core import i18n
from pos_app.core.i18n import N_, _, get_language, load_catalog, set_language, translations_dir

TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="th_TH">
<context>
    <name>other</name>
    <message><source>Done</source><translation>อื่น</translation></message>
</context>
<extra>
    <name>pos</name>
    <message><source>Outside</source><translation>นอก</translation></message>
</extra>
<context>
    <name>pos</name>
    <message><source>No translation</source></message>
    <message><translation>ไม่มีต้นฉบับ</translation></message>
    <message><source>Draft</source><translation type="unfinished">ร่าง</translation></message>
    <message><source>Old</source><translation type="obsolete">เก่า</translation></message>
    <message><source>Gone</source><translation type="vanished">หาย</translation></message>
    <message><source>Empty</source><translation></translation></message>
    <note><source>Not a message</source><translation>ไม่ใช่ข้อความ</translation></note>
    <message><source>Done</source><translation>เสร็จแล้ว</translation></message>
</context>
</TS>
"""


def test_load_catalog_keeps_finished_translations_of_our_context(tmp_path: Path) -> None:
    # whatever comes first (another context, unfinished or broken messages) never hides what follows
    (tmp_path / "pos_th.ts").write_text(TS, encoding="utf-8")
    assert load_catalog("th", tmp_path) == {"Done": "เสร็จแล้ว"}
    assert load_catalog("xx", tmp_path) == {}  # no file: no translations


def test_english_is_the_source_even_with_an_english_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pos_th.ts").write_text(TS, encoding="utf-8")
    (tmp_path / "pos_en.ts").write_text(TS.replace("เสร็จแล้ว", "Finished"), encoding="utf-8")
    monkeypatch.setattr(i18n, "_TRANSLATIONS_DIR", tmp_path)
    monkeypatch.setattr(i18n, "_catalogs", {})  # read afresh, from this folder
    set_language("th")
    try:
        assert _("Done") == "เสร็จแล้ว" and _("Draft") == "Draft"
        assert i18n._catalogs == {"th": {"Done": "เสร็จแล้ว"}}  # read once, kept
    finally:
        set_language("en")
    assert _("Done") == "Done"
    assert i18n._catalog("en") == {}


def test_the_bundled_catalog_is_read() -> None:
    assert translations_dir() == Path(i18n.__file__).resolve().parents[2] / "resources" / "translations"
    catalog = load_catalog("th")
    assert catalog["Thank you"] != "Thank you" and len(catalog) > 100


def test_translate_follows_the_language() -> None:
    set_language("th")
    try:
        assert get_language() == "th"
        assert _("Thank you") == load_catalog("th")["Thank you"]
        assert _("A text nobody translated") == "A text nobody translated"
    finally:
        set_language("en")
    assert get_language() == "en" and _("Thank you") == "Thank you"
    assert N_("Thank you") == "Thank you"


def test_unsupported_language_is_refused() -> None:
    with pytest.raises(ValueError, match=r"unsupported language 'fr'; choose one of \('th', 'en'\)"):
        set_language("fr")
    assert get_language() == "en"


def test_a_language_for_this_thread_only_leaves_the_process_language_alone() -> None:
    import threading

    from pos_app.core.i18n import using_language

    thai = load_catalog("th")["Thank you"]
    seen: list[str] = []
    with using_language("th"):
        assert _("Thank you") == thai
        assert get_language() == "en"  # the process language is unchanged
        other = threading.Thread(target=lambda: seen.append(_("Thank you")))
        other.start()
        other.join()
        with using_language("en"):
            assert _("Thank you") == "Thank you"
        assert _("Thank you") == thai  # the outer block's language is back
    assert seen == ["Thank you"]  # another thread kept the process language
    assert _("Thank you") == "Thank you"
    set_language("th")
    try:
        with using_language("en"):
            assert _("Thank you") == "Thank you"
        assert _("Thank you") == thai
    finally:
        set_language("en")
    with pytest.raises(ValueError, match=r"unsupported language 'fr'; choose one of \('th', 'en'\)"):
        with using_language("fr"):
            pass
    assert _("Thank you") == "Thank you"
