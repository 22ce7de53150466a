#!/usr/bin/env bash
# Set up auditkit on a fresh machine, then render the example round.
#
#   bash scripts/setup.sh              set up and render parameters/llr-2017.yaml
#   bash scripts/setup.sh --no-render  set up only
#
# Needs Python 3.11 or newer. Installs Debian's Pango libraries (for the PDF),
# poppler-utils (for the PDF checks in the tests), chromium (for
# `auditkit run --screenshot` and the accessibility tests; Playwright drives this
# browser and never downloads one) and LibreOffice without its windows
# (libreoffice-writer-nogui and libreoffice-calc-nogui: the tests open the Word
# briefing and the data-entry workbooks in it) when they are missing and this user
# may install packages; otherwise says what to install. Python packages go
# into .venv/ in this folder, at the versions pinned in constraints.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

render=yes
if [[ "${1:-}" == "--no-render" ]]; then render=no; fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "auditkit needs Python 3.11 or newer; '$python' is $("$python" --version 2>&1 || echo missing)." >&2
    echo "Install Python 3.11 and run again, or name it: PYTHON=/path/to/python3.11 bash scripts/setup.sh" >&2
    exit 1
fi

missing=()
if ! ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0'; then missing+=(libpango-1.0-0); fi
if ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; then missing+=(libpangoft2-1.0-0); fi
if ! ls /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf >/dev/null 2>&1; then missing+=(fonts-dejavu-core); fi
if ! command -v pdftotext >/dev/null 2>&1; then missing+=(poppler-utils); fi
if ! command -v chromium >/dev/null 2>&1 && [[ ! -x /usr/bin/chromium ]]; then missing+=(chromium); fi
# LibreOffice's Writer and Calc, found by their libraries (a full LibreOffice has them too).
if [[ ! -e /usr/lib/libreoffice/program/libswlo.so ]]; then missing+=(libreoffice-writer-nogui); fi
if [[ ! -e /usr/lib/libreoffice/program/libsclo.so ]]; then missing+=(libreoffice-calc-nogui); fi
if (( ${#missing[@]} )); then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing system packages: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "auditkit needs these system packages, which are not installed: ${missing[*]}" >&2
        echo "Ask an administrator to run:  sudo apt-get install ${missing[*]}" >&2
        echo "then run this set-up again." >&2
        exit 1
    fi
fi

if [[ ! -x .venv/bin/python ]]; then
    echo "Creating the virtual environment in .venv/"
    "$python" -m venv .venv
fi
echo "Installing auditkit and its dependencies into .venv/ (pinned in constraints.txt)"
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
# auditkit was once installed here under the distribution name "auditkit" (now neglect-auditkit): remove that
# editable install of this folder first, so that one distribution owns the package and the command.
if .venv/bin/python -m pip show auditkit 2>/dev/null | grep -qx "Editable project location: $PWD"; then
    .venv/bin/python -m pip uninstall --quiet --yes --disable-pip-version-check auditkit
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"
# Byte-compiled now, as pip does for an installed wheel: where PYTHONDONTWRITEBYTECODE is set (some CI images),
# every auditkit command would otherwise compile its modules from source, about a third of a second each time.
.venv/bin/python -m compileall -q src/auditkit
# Committed notebooks stay without outputs: JupyterLab's autosave writes them, git's nbstripout filter strips them.
bash scripts/notebook_filter.sh "$PWD/.venv/bin/python"

if [[ $render == yes ]]; then
    echo "Rendering the example round (parameters/llr-2017.yaml)"
    .venv/bin/auditkit run parameters/llr-2017.yaml --force
fi
echo "Set-up complete. Run auditkit as .venv/bin/auditkit, or activate it with: source .venv/bin/activate"
