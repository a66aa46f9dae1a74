"""Windows behaviours checked on Linux: SQLite URIs for UNC paths, the network-share warning, temporary
folders an antivirus holds, and the one save path every exporter goes through."""

from __future__ import annotations

import tempfile
from pathlib import PurePosixPath, PureWindowsPath

import pytest

from exporters import saving
from exporters.overdue_lights import write_lights
from exporters.rejected_rows import write_rejected_rows
from importers.pipeline import import_files
from models import store
from tests.fixtures.import_builders import sample_rows, write_csv


def test_sqlite_uris_for_unc_drive_and_posix_paths():
    unc = PureWindowsPath(r"\\server\share\城管 数据\chengguan.db")
    assert store.sqlite_uri(unc, mode="ro") == (
        "file:////server/share/%E5%9F%8E%E7%AE%A1%20%E6%95%B0%E6%8D%AE/chengguan.db?mode=ro"
    )
    assert store.sqlite_uri(PureWindowsPath(r"C:\Users\王\a#1.db"), mode="ro") == (
        "file:///C:/Users/%E7%8E%8B/a%231.db?mode=ro"
    )
    assert store.sqlite_uri(PurePosixPath("/srv/a.db")) == "file:///srv/a.db"


def test_a_readonly_connection_opens_a_path_with_spaces_hashes_and_chinese(tmp_path):
    path = tmp_path / "城管 数据#1" / "chengguan.db"
    path.parent.mkdir()
    store.open_db(path).conn.close()
    ro = store.connect(path, readonly=True)
    assert ro.execute("PRAGMA user_version").fetchone()[0] == len(store.MIGRATIONS)
    with pytest.raises(Exception, match="readonly"):
        ro.execute("INSERT INTO settings(key, value) VALUES ('x', '1')")


def test_a_database_on_a_network_share_is_named_as_such(tmp_path, monkeypatch):
    assert store.is_network_path(r"\\server\share\chengguan.db")
    assert store.is_network_path("//server/share/chengguan.db")
    assert not store.is_network_path(tmp_path / "chengguan.db")
    assert store.network_warning(tmp_path / "chengguan.db") is None
    monkeypatch.setattr(store, "_mount_type", lambda path: "cifs")
    warning = store.network_warning(tmp_path / "chengguan.db")
    assert "网络共享盘" in warning and "一台电脑" in warning and "WAL" in warning


def test_an_import_survives_a_staging_file_held_by_an_antivirus(db, tmp_path, monkeypatch):
    """Windows refuses to delete a file another process holds open; the import is committed all the same."""

    def held(cls, name, ignore_errors=False, **kwargs):
        if not ignore_errors:
            raise PermissionError(13, "另一个程序正在使用此文件，进程无法访问。", name)

    monkeypatch.setattr(tempfile.TemporaryDirectory, "_rmtree", classmethod(held))
    (report,) = import_files(db, [write_csv(tmp_path / "export.csv", sample_rows(3))])
    assert not report.refused, report.message
    assert report.inserted == 3
    assert db.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 3


def test_safe_default_file_names():
    assert saving.safe_file_name("部件 / 事件-2021-11.png") == "部件_事件-2021-11.png"
    assert saving.safe_file_name('a:b*c?"d"<e>|f\\g') == "a_b_c_d_e_f_g"
    assert saving.safe_file_name("///") == "导出"


def _sharing_violation(*args):
    exc = PermissionError(13, "另一个程序正在使用此文件，进程无法访问。")
    exc.winerror = 32
    raise exc


def test_a_file_open_in_excel_is_told_apart_from_no_permission(tmp_path, monkeypatch):
    target = tmp_path / "评分表.xlsx"
    target.write_bytes(b"old")
    monkeypatch.setattr(saving.os, "replace", _sharing_violation)
    with pytest.raises(saving.ExportError, match="正在被 Excel、WPS"):
        saving.write_text(target, "new")
    assert target.read_bytes() == b"old" and not list(tmp_path.glob("*.part"))

    def denied(temp):
        raise PermissionError(13, "拒绝访问。", str(temp))

    with pytest.raises(saving.ExportError, match="没有写入这个文件夹的权限"):
        saving.write_file(tmp_path / "new.xlsx", denied)


def test_every_exporter_saves_through_the_one_path(db, tmp_path, monkeypatch):
    monkeypatch.setattr(saving.os, "replace", _sharing_violation)
    for write in (
        lambda path: write_lights([], path, as_of="2021-11-30 23:59:59"),
        lambda path: write_rejected_rows(db, 1, path),
        lambda path: saving.write_text(path, "通报", bom=True),
    ):
        with pytest.raises(saving.ExportError, match="正在被 Excel、WPS"):
            write(tmp_path / "out")
    from exporters.case_list import CaseFilter, write_case_list
    from exporters.score_sheet import write_score_sheet
    from models.periods import period_from_args
    from tests.conftest import insert_cases

    insert_cases(db, [{"case_no": "A1", "unit": "西桥街道办事处", "reported_at": "2021-11-03 08:00:00"}])
    period = period_from_args(month="2021-11")  # a month with a case: an empty one is refused before saving
    with pytest.raises(saving.ExportError):
        write_score_sheet(db, period, tmp_path / "scores.xlsx")
    with pytest.raises(saving.ExportError):
        write_case_list(db, period, CaseFilter(), tmp_path / "cases.xlsx")
