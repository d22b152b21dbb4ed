"""The account store and the `user` commands: hashed passwords, sign-in, lockout, disabled accounts, roles and
units, the append-only account log, the first administrator, and what each role may write."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from loaders import accounts
from loaders.accounts import ADMIN, EVALUATOR, FILER, REVIEWER, VIEWER, Account, Refused
from loaders.cli import main

PASSWORD = "correct-horse-battery"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A database path whose account store starts empty."""
    return tmp_path / "reports.duckdb"


def test_a_password_is_stored_only_as_a_salted_scrypt_hash(db: Path) -> None:
    accounts.add_user(db, "alice", ADMIN, (), PASSWORD, by="tests")
    accounts.add_user(db, "bob", ADMIN, (), PASSWORD, by="tests")
    raw = accounts.store_path(db).read_bytes()
    assert PASSWORD.encode() not in raw
    with sqlite3.connect(accounts.store_path(db)) as con:
        hashes = [h for (h,) in con.execute("select password_hash from accounts order by name")]
    assert all(h.startswith("scrypt$32768$8$1$") for h in hashes)
    assert hashes[0] != hashes[1]  # salted
    assert oct(accounts.store_path(db).stat().st_mode & 0o777) == "0o600"


def test_sign_in_checks_the_password_and_says_the_same_for_an_unknown_name(db: Path) -> None:
    accounts.add_user(db, "alice", REVIEWER, ("甲单位", "乙单位"), PASSWORD, by="tests")
    assert accounts.sign_in(db, "alice", PASSWORD) == Account("alice", REVIEWER, ("甲单位", "乙单位"))
    with pytest.raises(Refused) as wrong:
        accounts.sign_in(db, "alice", "not-the-password")
    with pytest.raises(Refused) as unknown:
        accounts.sign_in(db, "nobody", PASSWORD)
    assert wrong.value.zh == unknown.value.zh == "账户名或密码错误"


def test_repeated_failures_lock_the_account_until_a_new_password(db: Path) -> None:
    accounts.add_user(db, "alice", ADMIN, (), PASSWORD, by="tests")
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(Refused, match="账户名或密码错误"):
            accounts.sign_in(db, "alice", "wrong-password")
    with pytest.raises(Refused, match="已锁定") as locked:
        accounts.sign_in(db, "alice", PASSWORD)  # even the right password waits
    until = dt.datetime.now() + dt.timedelta(minutes=accounts.LOCK_MINUTES)
    assert (
        until.strftime("%H:%M") in locked.value.zh
        or (until - dt.timedelta(minutes=1)).strftime("%H:%M") in locked.value.zh
    )
    assert [e["action"] for e in accounts.events(db)][0] == "account.locked"
    accounts.set_password(db, "alice", "a-new-password-1", by="tests")
    assert accounts.sign_in(db, "alice", "a-new-password-1").role == ADMIN


def test_a_disabled_account_cannot_sign_in_and_its_session_ends(db: Path) -> None:
    accounts.add_user(db, "alice", VIEWER, (), PASSWORD, by="tests")
    accounts.set_disabled(db, "alice", True, by="tests")
    with pytest.raises(Refused, match="已停用"):
        accounts.sign_in(db, "alice", PASSWORD)
    assert accounts.account(db, "alice") is None  # an open session reads the account again and finds none


@pytest.mark.parametrize(
    ("role", "units", "message"),
    [
        (FILER, (), "须指定一个单位"),
        (FILER, ("甲", "乙"), "须指定一个单位"),
        (VIEWER, ("甲",), "不按单位划分"),
        ("超级用户", (), "未知角色"),
    ],
)
def test_roles_and_units_are_checked(db: Path, role: str, units: tuple[str, ...], message: str) -> None:
    with pytest.raises(Refused, match=message):
        accounts.add_user(db, "x", role, units, PASSWORD, by="tests")


def test_a_short_password_and_a_bad_name_are_refused(db: Path) -> None:
    with pytest.raises(Refused, match="密码至少"):
        accounts.add_user(db, "alice", ADMIN, (), "short", by="tests")
    with pytest.raises(Refused, match="账户名"):
        accounts.add_user(db, "省政务公开办 王主任", ADMIN, (), PASSWORD, by="tests")


def test_only_an_administrator_manages_accounts(db: Path) -> None:
    accounts.add_user(db, "alice", REVIEWER, (), PASSWORD, by="tests")
    with pytest.raises(Refused, match="无权管理账户"):
        accounts.add_user(db, "mallory", ADMIN, (), PASSWORD, by=Account("alice", REVIEWER))
    accounts.add_user(db, "carol", EVALUATOR, (), PASSWORD, by=Account("root", ADMIN))
    assert accounts.events(db)[0]["account"] == "root"


def test_the_account_log_is_append_only_and_keeps_no_password(db: Path) -> None:
    accounts.add_user(db, "alice", ADMIN, (), PASSWORD, by="tests")
    accounts.set_role(db, "alice", FILER, ("甲单位",), by="tests")
    log = accounts.events(db)
    assert [e["action"] for e in log] == ["account.role", "account.add"]
    assert '"role": "管理员"' in log[0]["before"] and '"role": "单位填报人"' in log[0]["after"]
    assert all("hash" not in (e["after"] or "") for e in log)
    with sqlite3.connect(accounts.store_path(db)) as con:
        for sql in ("update account_events set account = 'x'", "delete from account_events"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                con.execute(sql)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (ADMIN, set(accounts.ACTIONS)),
        (
            REVIEWER,
            {
                "finding.note",
                "finding.status",
                "figure.correct",
                "report.identify",
                "report.rename",
                "roster.alias",
                "roster.add_unit",
            },
        ),
        (FILER, {"finding.note", "report.ingest", "roster.alias"}),
        (EVALUATOR, set()),
        (VIEWER, set()),
    ],
)
def test_what_each_role_may_write(role: str, allowed: set[str]) -> None:
    units = ("甲单位",) if role == FILER else ()
    assert {a for a in accounts.ACTIONS if Account("x", role, units).may(a)} == allowed
    for action in set(accounts.ACTIONS) - allowed:
        with pytest.raises(Refused, match="无权"):
            accounts.authorize(Account("x", role, units), action)


def test_the_first_administrator_is_created_once_with_a_password_shown_once(db: Path, capsys) -> None:
    assert main(["user", "init", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    password = out.strip().splitlines()[-1]
    assert "admin" in out and len(password) >= 20
    assert accounts.sign_in(db, "admin", password).role == ADMIN
    assert main(["user", "init", "--db", str(db)]) == 0
    assert capsys.readouterr().out == ""  # accounts exist: nothing created, nothing printed


def test_user_commands_add_list_passwd_disable(db: Path, capsys, monkeypatch) -> None:
    assert main(["user", "add", "tb", "--role", FILER, "--unit", "甲单位", "--generate", "--db", str(db)]) == 0
    password = capsys.readouterr().out.strip().splitlines()[-1]
    assert accounts.sign_in(db, "tb", password) == Account("tb", FILER, ("甲单位",))
    assert main(["user", "add", "tb2", "--role", FILER, "--db", str(db)]) == 1
    assert "须指定一个单位" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("another-password-9\n"))
    assert main(["user", "passwd", "tb", "--password-stdin", "--db", str(db)]) == 0
    assert accounts.sign_in(db, "tb", "another-password-9").name == "tb"
    assert main(["user", "disable", "tb", "--db", str(db)]) == 0
    assert main(["user", "list", "--db", str(db)]) == 0
    assert "tb\t单位填报人\t甲单位\t已停用 disabled" in capsys.readouterr().out
