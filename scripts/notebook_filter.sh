#!/usr/bin/env bash
# Keep committed notebooks clean: set up this clone's nbstripout git filter (scripts/setup.sh runs this).
#
#   bash scripts/notebook_filter.sh [PYTHON]      PYTHON has nbstripout installed (default: .venv/bin/python)
#
# .gitattributes (committed) sends every *.ipynb through the filter named nbstripout; this script defines it in
# the clone's own git config. On `git add` (and whenever git compares the working copy), the filter takes a
# notebook's outputs, execution counts and the kernel's details out of what git sees, so the notebooks JupyterLab
# autosaves with outputs stay as committed in git's eyes. Cell ids are kept (--keep-id): they are stable here.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-$PWD/.venv/bin/python}
if ! command -v git >/dev/null 2>&1 || ! git rev-parse --git-dir >/dev/null 2>&1; then
    echo "Not a git clone: no notebook filter to set up."
    exit 0
fi
# The kernel's details JupyterLab writes into a notebook when it runs it; the committed notebooks name
# only the kernel and the language.
extra_keys="metadata.language_info.codemirror_mode metadata.language_info.file_extension"
extra_keys+=" metadata.language_info.mimetype metadata.language_info.nbconvert_exporter"
extra_keys+=" metadata.language_info.pygments_lexer metadata.language_info.version"
git config filter.nbstripout.clean "\"$python\" -m nbstripout --keep-id"
git config filter.nbstripout.smudge cat
git config filter.nbstripout.required true
git config filter.nbstripout.extrakeys "$extra_keys"
git config diff.ipynb.textconv "\"$python\" -m nbstripout --keep-id -t"
echo "Notebooks are committed without outputs: git filter nbstripout set up (.gitattributes)."
