# Shared by install.sh and .ci/run: root-or-sudo, apt-get on demand, a Python 3.11+ with venv.
# Source it; it defines functions only.

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else echo "need root (or sudo) to run: $*" >&2; return 1
    fi
}

_apt_updated=""
apt_install() {
    if ! command -v apt-get >/dev/null; then
        echo "please install $* with your package manager, then run this again" >&2
        return 1
    fi
    echo "installing $* (apt-get)..." >&2
    if [ -z "$_apt_updated" ]; then as_root apt-get update -qq >/dev/null; _apt_updated=1; fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Print the name of a Python 3.11+ interpreter that can make virtualenvs, installing one with
# apt-get when needed (Debian 12 and Ubuntu 24.04 ship 3.11+ as python3; Ubuntu 22.04 has python3.11).
pick_python() {
    local candidate
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            if ! "$candidate" -c 'import ensurepip, venv' >/dev/null 2>&1; then
                apt_install python3-venv "${candidate}-venv" 2>/dev/null || apt_install python3-venv
            fi
            echo "$candidate"
            return 0
        fi
    done
    apt_install python3.11 python3.11-venv || apt_install python3 python3-venv
    for candidate in python3.11 python3; do
        if command -v "$candidate" >/dev/null &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "followup-watcher needs Python 3.11 or newer; none could be found or installed" >&2
    return 1
}
