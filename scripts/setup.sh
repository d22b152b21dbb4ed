#!/usr/bin/env bash
# Prepare a machine to run and test the project: Debian packages (as root), then .venv.
#
# Idempotent and quick when nothing changed: pip runs only when the hash of
# requirements.txt + requirements.lock + the Python version differs from the stamp
# left by the last successful install.
#
# --with-ray also installs the optional requirements-ray.txt (the batch command's Ray runner; the tests use it),
# with a stamp of its own that hashes that file too, so that `make run` stays without Ray and switching between
# the two never reinstalls what is already there.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Debian packages the project needs at run or test time: Chromium renders chart images (kaleido) and runs the
# browser tests (Playwright, never its own browser download); the Noto CJK fonts draw Chinese in both and in the
# PDF briefing, which LibreOffice Writer converts from the Word briefing (headless, no recommended extras).
DEBIAN_PACKAGES=(chromium fonts-noto-cjk libreoffice-writer)

VENV=.venv
STAMP="$VENV/.setup-stamp"
RAY_STAMP="$VENV/.setup-stamp-ray"
WITH_RAY=false

say() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] 错误 / error: %s\n' "$*" >&2; exit 1; }

find_python() {
    # Prefer an explicit choice, then python3.11, then python3 if it is 3.11 or newer.
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

missing_debian_packages() {
    local pkg
    for pkg in "${DEBIAN_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
    done
}

apt_install() {
    say "安装系统软件包 / installing Debian packages: $*"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

install_debian_packages() {
    [ "${#DEBIAN_PACKAGES[@]}" -gt 0 ] || return 0
    local missing
    missing=$(missing_debian_packages)
    [ -n "$missing" ] || return 0
    if [ "$(id -u)" -ne 0 ]; then
        say "缺少系统软件包，请以 root 安装 / missing Debian packages, install them as root: $missing"
        return 0
    fi
    # shellcheck disable=SC2086  # word splitting intended: one word per package
    apt_install $missing
}

requirements_hash() {
    # The hash of the given requirement files, the lock and the Python version.
    local py="$1"
    shift
    { cat "$@"; cat requirements.lock 2>/dev/null || true; "$py" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1
}

make_venv() {
    local py="$1"
    # A venv whose pip cannot run (an interrupted first setup) is rebuilt rather than trusted.
    [ -x "$VENV/bin/python" ] && [ -x "$VENV/bin/pip" ] && return 0
    if ! "$py" -c 'import ensurepip' >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        apt_install python3-venv  # Debian's own Python ships venv without pip until this is installed
    fi
    say "创建虚拟环境 / creating $VENV with $py"
    "$py" -m venv --clear "$VENV" ||
        die "无法创建虚拟环境（Debian 上需要 python3-venv）/ cannot create $VENV (on Debian, install python3-venv)"
    rm -f "$STAMP" "$RAY_STAMP"
}

install_requirements() {
    # Install one set of requirements unless its stamp says it is there: $1 the stamp, then the requirement files.
    local stamp="$1" want have=""
    shift
    want=$(requirements_hash "$VENV/bin/python" "$@")
    [ -f "$stamp" ] && have=$(cat "$stamp")
    if [ "$want" = "$have" ]; then
        say "依赖已是最新 / dependencies up to date ($*)"
        return 0
    fi
    say "安装 Python 依赖 / installing Python dependencies ($*, constrained by requirements.lock)"
    local constraints=() files=() file
    # Without a lock (e.g. while regenerating it after a pin changed) pip resolves freely.
    [ -f requirements.lock ] && constraints=(-c requirements.lock)
    for file in "$@"; do files+=(-r "$file"); done
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${files[@]}" "${constraints[@]}"
    echo "$want" >"$stamp"
}

main() {
    local arg
    for arg in "$@"; do
        case "$arg" in
        --with-ray) WITH_RAY=true ;;
        *) die "未知参数 / unknown option: $arg (only --with-ray)" ;;
        esac
    done
    install_debian_packages
    local py
    py=$(find_python) || die "需要 Python 3.11 或更高版本 / Python 3.11 or newer is required (set PYTHON=...)"
    make_venv "$py"
    install_requirements "$STAMP" requirements.txt
    if [ "$WITH_RAY" = true ]; then
        install_requirements "$RAY_STAMP" requirements.txt requirements-ray.txt
    fi
}

main "$@"
