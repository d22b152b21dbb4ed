"""Accounts, roles and what each role may write: the local account store beside the database, sign-in with hashed
passwords and lockout, and the checks every writer runs before it writes.

The store is an SQLite file beside the DuckDB database (`reports.duckdb` -> `reports.accounts.sqlite`): a sign-in
writes (failure counts, lockout), and the database's write path copies the whole file and swaps it in, far too
heavy for every sign-in; the accounts also outlive a rebuilt database, and password hashes stay out of the file
that reviewers copy and share. Changes to accounts are logged in the store's own append-only `account_events`
table, in the same SQLite transaction as the change; triggers refuse any update or delete of that table.

Passwords are hashed with scrypt (memory-hard; salt and cost stored with the hash, so the cost can be raised
later) and compared in constant time. A password is never stored, printed or logged in clear.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import hmac
import json
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

ADMIN, REVIEWER, FILER, EVALUATOR, VIEWER = ROLES = ("管理员", "核查人", "单位填报人", "评估人", "只读")
ROLE_NOTES = {
    ADMIN: "账户、名册、工作要点与评分细则；可做一切写入，可查看审计日志",
    REVIEWER: "所负责单位的问题状态、情况说明与数值更正（未指定单位时为全部单位）",
    FILER: "仅本单位：上传年报、填写情况说明、查看本单位的问题",
    EVALUATOR: "查看全部分析、评分与雷同检查，不能写入",
    VIEWER: "只读查看分析页面，不能写入",
}

# What each write needs: the roles that may do it, and its name in messages.
ACTIONS = {
    "finding.note": ((ADMIN, REVIEWER, FILER), "填写情况说明"),
    "finding.status": ((ADMIN, REVIEWER), "更改问题状态"),
    "figure.correct": ((ADMIN, REVIEWER), "更正数值"),
    "report.ingest": ((ADMIN, FILER), "导入年报"),
    "report.identify": ((ADMIN, REVIEWER), "为未识别的报告填写单位和年度"),
    "report.rename": ((ADMIN, REVIEWER), "更正已入库报告的单位或年度"),
    "roster.import": ((ADMIN,), "导入或恢复单位名册"),
    "roster.alias": ((ADMIN, REVIEWER, FILER), "确认报告单位名称对应名册中的单位"),
    "roster.add_unit": ((ADMIN, REVIEWER), "把报告单位作为新单位加入名册"),
    "workplan.import": ((ADMIN,), "导入或恢复工作要点"),
    "rubric.import": ((ADMIN,), "导入或恢复评分细则"),
    "accounts.manage": ((ADMIN,), "管理账户"),
    "audit.view": ((ADMIN,), "查看审计日志"),
}

MAX_FAILURES = 5  # failed sign-ins in a row before the account is locked
LOCK_MINUTES = 15
MIN_PASSWORD = 10
MAX_NAME = 40
# scrypt cost: 2**15 x 8 x 128 bytes = 32 MiB per hash, about 0.1 s on one core
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}
_NAME = re.compile(r"[^\s/\\:*?\"<>|]{1,40}")  # no spaces or path characters, so a name reads the same everywhere

_SCHEMA = """
create table if not exists accounts (
    name text primary key,
    role text not null,
    units text not null default '[]',
    password_hash text,
    disabled integer not null default 0,
    failures integer not null default 0,
    locked_until text,
    created_at text not null,
    changed_at text not null
);
create table if not exists account_events (
    event_id integer primary key autoincrement,
    at text not null,
    account text not null,
    action text not null,
    target text not null,
    before text,
    after text
);
create trigger if not exists account_events_no_update before update on account_events
begin select raise(abort, 'account_events is append-only'); end;
create trigger if not exists account_events_no_delete before delete on account_events
begin select raise(abort, 'account_events is append-only'); end;
"""


class Refused(ValueError):
    """A sign-in or a write that was refused; the message gives the reason in Chinese and English."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


@dataclass(frozen=True)
class Account:
    """A signed-in account: its name, role and the units it is limited to (empty: not limited)."""

    name: str
    role: str
    units: tuple[str, ...] = ()

    def may(self, action: str) -> bool:
        """Whether the role may do `action` at all (the unit is checked on its own)."""
        return self.role in ACTIONS[action][0]

    @property
    def scoped(self) -> bool:
        """Whether the account is limited to some units."""
        return bool(self.units) and self.role in (REVIEWER, FILER)


# --- the store -----------------------------------------------------------------------------------------


def store_path(db: Path) -> Path:
    """The account store of a database: beside it, named after it."""
    db = Path(db)
    return db.with_name(f"{db.stem}.accounts.sqlite")


@contextmanager
def _connect(db: Path) -> Iterator[sqlite3.Connection]:
    """One transaction on the account store (created on first use); committed when the body returns."""
    path = store_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.touch(mode=0o600)  # hashes are for this service only; SQLite gives its WAL files the same mode
    with closing(sqlite3.connect(path, timeout=30, isolation_level=None)) as con:
        con.execute("pragma journal_mode = wal")
        con.executescript(_SCHEMA)
        con.execute("begin immediate")
        try:
            yield con
        except BaseException:
            con.execute("rollback")
            raise
        con.execute("commit")


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _log(con: sqlite3.Connection, by: str, action: str, target: str, before: dict | None, after: dict | None) -> None:
    """Append one event to the store's log, in the caller's transaction."""
    con.execute(
        "insert into account_events (at, account, action, target, before, after) values (?, ?, ?, ?, ?, ?)",
        (_now().isoformat(sep=" "), by, action, target, _json(before), _json(after)),
    )


def _json(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _row(con: sqlite3.Connection, name: str) -> dict | None:
    """An account's row as a dict (no hash), or None."""
    cur = con.execute(
        "select name, role, units, disabled, failures, locked_until, created_at, changed_at,"
        " password_hash is not null as has_password from accounts where name = ?",
        (name,),
    )
    row = cur.fetchone()
    if row is None:
        return None
    out = dict(zip([c[0] for c in cur.description], row, strict=True))
    out["units"] = json.loads(out["units"])
    return out


def _public(row: dict) -> dict:
    """What the log keeps of an account: never the hash, nor the counters."""
    return {k: row[k] for k in ("name", "role", "units", "disabled")}


def count(db: Path) -> int:
    """How many accounts the store holds (0 when there is no store yet)."""
    if not store_path(db).is_file():
        return 0
    with _connect(db) as con:
        return con.execute("select count(*) from accounts").fetchone()[0]


def users(db: Path) -> list[dict]:
    """Every account (name, role, units, disabled, locked_until, created_at, changed_at), by name."""
    if not store_path(db).is_file():
        return []
    with _connect(db) as con:
        names = [r[0] for r in con.execute("select name from accounts order by name")]
        return [_row(con, n) for n in names]


def account(db: Path, name: str) -> Account | None:
    """The enabled account of that name, or None (unknown or disabled)."""
    if not name or not store_path(db).is_file():
        return None
    with _connect(db) as con:
        row = _row(con, name)
    if row is None or row["disabled"]:
        return None
    return Account(row["name"], row["role"], tuple(row["units"]))


def events(db: Path) -> list[dict]:
    """The account log, newest first."""
    if not store_path(db).is_file():
        return []
    with _connect(db) as con:
        cur = con.execute("select * from account_events order by event_id desc")
        return [dict(zip([c[0] for c in cur.description], r, strict=True)) for r in cur.fetchall()]


# --- changes to accounts --------------------------------------------------------------------------------


def check_name(name: str) -> str:
    """An account name: 1–40 characters, no spaces or path characters."""
    name = (name or "").strip()
    if not _NAME.fullmatch(name):
        raise Refused(
            '账户名应为1至40个字符，不含空格和 / \\ : * ? " < > |',
            "an account name is 1 to 40 characters without spaces or path characters",
        )
    return name


def check_role(role: str, units: tuple[str, ...]) -> tuple[str, ...]:
    """The units kept for a role: one for 单位填报人, any for 核查人 (none: all), none for the others."""
    if role not in ROLES:
        raise Refused(f"未知角色“{role}”，应为{'、'.join(ROLES)}之一", f"unknown role {role!r}")
    units = tuple(dict.fromkeys(u.strip() for u in units if u and u.strip()))
    if role == FILER and len(units) != 1:
        raise Refused("单位填报人须指定一个单位（--unit）", "a 单位填报人 account needs exactly one unit (--unit)")
    if role not in (FILER, REVIEWER) and units:
        raise Refused(f"{role}不按单位划分，不能指定单位", f"the role {role} takes no units")
    return units


def check_password(password: str) -> str:
    """A new password: at least MIN_PASSWORD characters."""
    if len(password or "") < MIN_PASSWORD:
        raise Refused(f"密码至少{MIN_PASSWORD}个字符", f"a password needs at least {MIN_PASSWORD} characters")
    return password


def new_password() -> str:
    """A random password for a new account (about 96 bits)."""
    return secrets.token_urlsafe(16)


def hash_password(password: str) -> str:
    """scrypt$n$r$p$salt$hash, salt and hash in hex."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, maxmem=2**26, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def _matches(password: str, stored: str | None) -> bool:
    """Whether `password` hashes to `stored`, compared in constant time; an account without a password never
    matches (one that signs in through single sign-on only)."""
    try:
        kind, n, r, p, salt, digest = (stored or _dummy_hash()).split("$")
        got = hashlib.scrypt(
            password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), maxmem=2**26, dklen=32
        )
    except ValueError:
        return False
    return kind == "scrypt" and stored is not None and hmac.compare_digest(got, bytes.fromhex(digest))


@cache
def _dummy_hash() -> str:
    """A hash to check against for unknown names, so that they take as long as known ones."""
    return hash_password(secrets.token_urlsafe(16))


def _manager(by: Account | str) -> str:
    """Who changes an account: a signed-in 管理员, or the local user of the command line."""
    return authorize(by, "accounts.manage")


def add_user(
    db: Path, name: str, role: str, units: tuple[str, ...] = (), password: str | None = None, by: Account | str = ""
) -> None:
    """Create an account; `password` None makes one that signs in only through single sign-on."""
    by = _manager(by or local_user())
    name = check_name(name)
    units = check_role(role, units)
    hashed = hash_password(check_password(password)) if password is not None else None
    with _connect(db) as con:
        if _row(con, name) is not None:
            raise Refused(f"账户已存在：{name}", f"the account {name} exists already")
        at = _now().isoformat(sep=" ")
        con.execute(
            "insert into accounts (name, role, units, password_hash, created_at, changed_at) values (?, ?, ?, ?, ?, ?)",
            (name, role, json.dumps(list(units), ensure_ascii=False), hashed, at, at),
        )
        _log(con, by, "account.add", name, None, _public(_row(con, name)))


def _change(db: Path, name: str, by: Account | str, action: str, sql: str, params: tuple) -> None:
    """Apply one update to an existing account and log it with the account before and after."""
    by = _manager(by or local_user())
    with _connect(db) as con:
        before = _row(con, name)
        if before is None:
            raise Refused(f"账户不存在：{name}", f"no such account: {name}")
        con.execute(f"{sql}, changed_at = ? where name = ?", (*params, _now().isoformat(sep=" "), name))
        _log(con, by, action, name, _public(before), _public(_row(con, name)))


def set_password(db: Path, name: str, password: str, by: Account | str = "") -> None:
    """Give an account a new password; this also lifts a lockout."""
    hashed = hash_password(check_password(password))
    _change(
        db,
        name,
        by,
        "account.passwd",
        "update accounts set password_hash = ?, failures = 0, locked_until = null",
        (hashed,),
    )


def set_disabled(db: Path, name: str, disabled: bool, by: Account | str = "") -> None:
    """Disable an account (it can no longer sign in; open sessions end at their next page) or enable it again."""
    action = "account.disable" if disabled else "account.enable"
    _change(db, name, by, action, "update accounts set disabled = ?", (int(disabled),))


def set_role(db: Path, name: str, role: str, units: tuple[str, ...] = (), by: Account | str = "") -> None:
    """Change an account's role and units."""
    units = check_role(role, units)
    _change(
        db, name, by, "account.role", "update accounts set role = ?, units = ?",
        (role, json.dumps(list(units), ensure_ascii=False)),
    )  # fmt: skip


# --- sign-in ---------------------------------------------------------------------------------------------


def sign_in(db: Path, name: str, password: str) -> Account:
    """The account when the name and password match; refused otherwise, the same way for an unknown name and a
    wrong password. MAX_FAILURES wrong passwords in a row lock the account for LOCK_MINUTES."""
    name = (name or "").strip()
    wrong = Refused("账户名或密码错误", "wrong account name or password")
    with _connect(db) as con:
        row = con.execute(
            "select password_hash, disabled, failures, locked_until, role, units from accounts where name = ?", (name,)
        ).fetchone()
        if row is None:
            _matches(password or "", _dummy_hash())
            raise wrong
        hashed, disabled, failures, locked_until, role, units = row
        now = _now()
        if locked_until and dt.datetime.fromisoformat(locked_until) > now:
            raise Refused(
                f"连续{MAX_FAILURES}次密码错误，账户已锁定至{locked_until[11:16]}，请稍后再试或请管理员重设密码",
                f"locked after {MAX_FAILURES} wrong passwords until {locked_until}; try later or ask an administrator",
            )
        if not _matches(password or "", hashed):
            failures += 1
            lock = (now + dt.timedelta(minutes=LOCK_MINUTES)).isoformat(sep=" ") if failures >= MAX_FAILURES else None
            con.execute(
                "update accounts set failures = ?, locked_until = ? where name = ?",
                (0 if lock else failures, lock, name),
            )
            if lock:
                _log(con, name, "account.locked", name, None, {"locked_until": lock})
        elif disabled:
            raise Refused("该账户已停用，请联系管理员", "this account is disabled; ask an administrator")
        else:
            con.execute("update accounts set failures = 0, locked_until = null where name = ?", (name,))
            return Account(name, role, tuple(json.loads(units)))
    raise wrong


# --- what a writer checks ----------------------------------------------------------------------------------


def authorize(by: Account | str, action: str) -> str:
    """The name to record for a write: a signed-in account whose role may do `action`, else refused. A plain
    string is a local caller (the command line, a script), who already holds the database file: recorded as
    given."""
    if not isinstance(by, Account):
        name = " ".join((by or "").split())
        if not name:
            raise Refused("请填写操作人", "the writer's name is required")
        if len(name) > MAX_NAME:
            raise Refused(
                f"操作人名称过长（最多{MAX_NAME}个字符）", f"the writer's name is too long (at most {MAX_NAME})"
            )
        return name
    roles, what = ACTIONS[action]
    if by.role not in roles:
        raise Refused(
            f"无权{what}：角色“{by.role}”不能{what}（需要{'或'.join(roles)}）",
            f"not allowed: the role {by.role} may not do {action}",
        )
    return by.name


def local_user() -> str:
    """Who writes from the command line when no --account is given: the operating system's user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "本机用户"


def role_of(by: Account | str) -> str:
    """The role recorded beside a write: the account's, or 命令行 for a local caller."""
    return by.role if isinstance(by, Account) else "命令行"


def unit_names(con: duckdb.DuckDBPyConnection, units: tuple[str, ...]) -> set[str]:
    """Every name the units' reports may be filed under (the roster's renames and mergers), and the units."""
    names = set(units)
    if units and con.sql("select 1 from duckdb_tables() where table_name = 'fct_coverage_names'").fetchall():
        rows = con.sql("select name from fct_coverage_names where list_contains(?, unit)", params=[list(units)])
        names.update(r[0] for r in rows.fetchall())
    return names


def require_unit(con: duckdb.DuckDBPyConnection, by: Account | str, agency: str | None) -> None:
    """Refuse a write about another unit's report by an account limited to some units."""
    if not isinstance(by, Account) or not by.scoped:
        return
    if agency is None or agency not in unit_names(con, by.units):
        raise Refused(
            f"无权操作其他单位的报告：“{agency or '单位不详'}”不属于{'、'.join(by.units)}",
            f"not allowed: {agency!r} is not one of the account's units",
        )
