"""The `user` commands of the loader's command line: add, list, passwd, disable, enable and init (the first
administrator with a random password, printed once)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

import config
from loaders import accounts, cli_support


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `user …` under the loader's commands."""
    user = commands.add_parser("user", help="账户管理 / manage accounts")
    sub = user.add_subparsers(required=True, metavar="ACTION")
    add = sub.add_parser("add", help="新建账户 / add an account")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=accounts.ROLES, help="角色 / role")
    add.add_argument("--unit", action="append", default=[], metavar="UNIT", help="单位（可重复） / unit (repeatable)")
    _password_options(add)
    add.add_argument("--sso-only", action="store_true", help="只用单点登录，无密码 / single sign-on only, no password")
    add.set_defaults(run=run_add)
    listing = sub.add_parser("list", help="列出账户 / list accounts")
    listing.set_defaults(run=run_list)
    passwd = sub.add_parser("passwd", help="重设密码（同时解除锁定） / set a new password (also unlocks)")
    passwd.add_argument("name", metavar="NAME")
    _password_options(passwd)
    passwd.set_defaults(run=run_passwd)
    for action, label in (("disable", "停用账户 / disable"), ("enable", "启用账户 / enable")):
        command = sub.add_parser(action, help=label)
        command.add_argument("name", metavar="NAME")
        command.set_defaults(run=run_disable if action == "disable" else run_enable)
    init = sub.add_parser("init", help="尚无账户时创建管理员 admin / create the administrator when none exists")
    init.add_argument("--name", default="admin", metavar="NAME")
    init.set_defaults(run=run_init)
    for command in (add, listing, passwd, *sub.choices.values()):
        if not any(a.dest == "db" for a in command._actions):
            cli_support.add_db_option(command)


def _password_options(command: argparse.ArgumentParser) -> None:
    """How the password is given: typed at a prompt (default on a terminal), read from stdin, or generated."""
    group = command.add_mutually_exclusive_group()
    group.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码 / read it from stdin")
    group.add_argument("--generate", action="store_true", help="生成随机密码并显示一次 / generate and print once")


def _db(args: argparse.Namespace) -> Path:
    return args.db or config.db_path()


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    """(password, generated): prompted twice on a terminal, one line of stdin, or random."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n"), False
    if args.generate or not sys.stdin.isatty():
        return accounts.new_password(), True
    first = getpass.getpass("密码 / password: ")
    if getpass.getpass("再次输入 / again: ") != first:
        raise accounts.Refused("两次输入的密码不一致", "the two passwords differ")
    return first, False


def _run(write) -> int:
    """Run one change to the store; a refusal is printed in Chinese and English with exit code 1."""
    try:
        message = write()
    except accounts.Refused as exc:
        return cli_support.fail(str(exc), 1)
    except OSError as exc:
        return cli_support.fail(f"无法写入账户库 / cannot write the account store: {exc}", 2)
    if message:
        print(message)
    return 0


def _shown_once(name: str, password: str) -> str:
    return (
        f"账户 {name} 的密码（只显示这一次，请妥善保存） / password of {name} (shown once, keep it safe):\n{password}"
    )


def run_add(args: argparse.Namespace) -> int:
    """Create an account."""

    def write() -> str:
        password, generated = (None, False) if args.sso_only else _password(args)
        accounts.add_user(_db(args), args.name, args.role, tuple(args.unit), password, by=accounts.local_user())
        done = f"已创建账户 / account created: {args.name}（{args.role}）"
        return f"{done}\n{_shown_once(args.name, password)}" if generated else done

    return _run(write)


def run_list(args: argparse.Namespace) -> int:
    """Print every account: name, role, units, state."""
    rows = accounts.users(_db(args))
    if not rows:
        print("尚无账户 / no accounts yet")
    for row in rows:
        state = "已停用 disabled" if row["disabled"] else ("已锁定 locked" if row["locked_until"] else "正常 active")
        units = "、".join(row["units"]) or "-"
        print(f"{row['name']}\t{row['role']}\t{units}\t{state}")
    return 0


def run_passwd(args: argparse.Namespace) -> int:
    """Set a new password."""

    def write() -> str:
        password, generated = _password(args)
        accounts.set_password(_db(args), args.name, password, by=accounts.local_user())
        done = f"已重设密码 / password changed: {args.name}"
        return f"{done}\n{_shown_once(args.name, password)}" if generated else done

    return _run(write)


def run_disable(args: argparse.Namespace) -> int:
    """Disable an account."""
    return _run(lambda: _set_disabled(args, True))


def run_enable(args: argparse.Namespace) -> int:
    """Enable an account again."""
    return _run(lambda: _set_disabled(args, False))


def _set_disabled(args: argparse.Namespace, disabled: bool) -> str:
    accounts.set_disabled(_db(args), args.name, disabled, by=accounts.local_user())
    return f"已{'停用' if disabled else '启用'}账户 / account {'disabled' if disabled else 'enabled'}: {args.name}"


def run_init(args: argparse.Namespace) -> int:
    """Create the first administrator with a random password, printed once; nothing when accounts exist."""

    def write() -> str:
        db = _db(args)
        if accounts.count(db):
            return ""
        password = accounts.new_password()
        accounts.add_user(db, args.name, accounts.ADMIN, (), password, by=accounts.local_user())
        return f"已创建首个管理员 / first administrator created: {args.name}\n{_shown_once(args.name, password)}"

    return _run(write)
