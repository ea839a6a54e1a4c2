"""The Python API as the README shows it, and the package's layout rules (stages import one way).

The README's examples are executed for real (twice in one interpreter, and in another order), so a
name shadowed by a submodule or an example that no longer runs fails here.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import aligner

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "aligner"

STAGE_RANK = {
    "records": 0, "errors": 0, "files": 0, "version": 0,
    "pdf": 1, "segmentation": 2, "alignment": 3, "io": 4, "report": 5, "evaluation": 5,
    "api": 6, "batch": 7, "cli": 8, "__init__": 9, "__main__": 9,
}  # fmt: skip
"""Where each top-level module or subpackage sits in the pipeline: imports may only go down."""

ALLOWED_UPWARD = {("aligner.records", "aligner.io.tabular")}
"""``Alignment.to_dataframe`` asks the output stage, the one place that formats links, for the frame."""


def readme_python_examples() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Python API", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert blocks, "the README's Python API section has no python example"
    return "\n".join(blocks)


def run_python(code: str, tmp_path: Path, embedding_cache: Path) -> subprocess.CompletedProcess[str]:
    env = {"ALIGNER_CACHE_DIR": str(embedding_cache), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}
    script = tmp_path / "example.py"
    script.write_text(code, encoding="utf-8")
    return subprocess.run([sys.executable, str(script)], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_readme_examples_run_twice_in_one_interpreter(tmp_path: Path, embedding_cache: Path) -> None:
    code = readme_python_examples()
    guarded = "if __name__ == '__main__':\n" + "\n".join("    " + line for line in (code + "\n" + code).splitlines())
    done = run_python(guarded, tmp_path, embedding_cache)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.mark.slow
def test_align_then_segment_then_align(tmp_path: Path, embedding_cache: Path) -> None:
    code = """
import aligner
import aligner.alignment, aligner.segmentation, aligner.report, aligner.io, aligner.pdf
en, cy = "data/moj-fixed-recall/fixed-recall.en.pdf", "data/moj-fixed-recall/fixed-recall.cy.pdf"
if __name__ == "__main__":
    first = aligner.align(en, cy)
    doc = aligner.segment(cy)
    again = aligner.align(en, doc)
    assert first.links == again.links, "same input, same links"
    assert doc.lang == "cy" and doc.blocks
    print(len(first.links))
"""
    done = run_python(code, tmp_path, embedding_cache)
    assert done.returncode == 0, done.stderr[-3000:]
    assert int(done.stdout.strip()) > 10


def test_api_names_survive_importing_every_subpackage() -> None:
    import importlib
    import pkgutil

    for module in pkgutil.walk_packages(aligner.__path__, "aligner."):
        if module.name != "aligner.__main__":
            importlib.import_module(module.name)
    for name in ("segment", "align", "read_alignment", "write_alignment", "build_report", "evaluate"):
        assert callable(getattr(aligner, name)), f"aligner.{name} is not a function any more"
    assert aligner.AlignParams().sem_weight > 0


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[str, list[str], bool]]:
    """(module imported, names imported, at module level?) for every aligner import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("aligner"):
            for alias in node.names:  # "from aligner import api" imports the submodule aligner.api
                sub = f"{node.module}.{alias.name}"
                is_module = (REPO / sub.replace(".", "/")).is_dir() or (
                    REPO / (sub.replace(".", "/") + ".py")
                ).is_file()
                found.append((sub if is_module else node.module, [] if is_module else [alias.name], id(node) in top))
        elif isinstance(node, ast.Import):
            found += [(a.name, [], id(node) in top) for a in node.names if a.name.startswith("aligner")]
    return found


def rank(module: str) -> int:
    parts = module.split(".")
    return STAGE_RANK[parts[1]] if len(parts) > 1 else STAGE_RANK["__init__"]


def all_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_stage() -> None:
    unknown = {module_name(p).split(".")[1] for p in all_modules() if module_name(p) != "aligner"} - set(STAGE_RANK)
    assert not unknown, f"give these a place in STAGE_RANK: {unknown}"


def test_imports_flow_from_records_to_cli() -> None:
    upward = []
    for path in all_modules():
        here = module_name(path)
        for target, _, _ in imports_of(path):
            if rank(target) > rank(here) and (here, target) not in ALLOWED_UPWARD:
                upward.append(f"{here} imports {target}")
    assert not upward, "\n".join(upward)


def test_no_module_imports_a_private_name_of_another_stage() -> None:
    private = []
    for path in all_modules():
        here = module_name(path)
        for target, names, _ in imports_of(path):
            if target.split(".")[:2] != here.split(".")[:2]:
                private += [f"{here} imports {target}.{n}" for n in names if n.startswith("_") and n != "__version__"]
    assert not private, "\n".join(private)


def test_no_import_cycles() -> None:
    graph = {module_name(p): {t for t, _, top in imports_of(p) if top} for p in all_modules()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1 and nxt != "aligner":
                raise AssertionError("import cycle: " + " -> ".join([*trail, node, nxt]))
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state and name != "aligner":
            visit(name, [])


@pytest.mark.slow
def test_wheel_holds_only_what_a_user_runs(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("aligner-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "aligner/py.typed" in names and "aligner/api.py" in names
    unwanted = [n for n in names if n.startswith(("devtools/", "benchmarks/", "tests/")) or n.endswith(".ttf")]
    unwanted += [n for n in names if re.search(r"synth|devdata|baselines", n)]
    assert not unwanted, unwanted


def test_a_script_without_main_guard_gets_one_warning_line_and_its_result(tmp_path: Path) -> None:
    """Page workers re-import an unguarded script; they must end quietly, not print a traceback each."""
    import pypdfium2 as pdfium

    from aligner.pdf.reader import PARALLEL_MIN_PAGES

    demo = pdfium.PdfDocument(REPO / "data/moj-fixed-recall/fixed-recall.en.pdf")
    long_pdf = pdfium.PdfDocument.new()
    while len(long_pdf) < PARALLEL_MIN_PAGES:
        long_pdf.import_pages(demo)
    long_pdf.save(tmp_path / "long.pdf")
    code = f"import aligner\nprint(len(aligner.segment({str(tmp_path / 'long.pdf')!r}, use_cache=False).blocks))\n"
    done = run_python(code, tmp_path, tmp_path / "cache")
    assert done.returncode == 0, done.stderr[-3000:]
    assert int(done.stdout) > 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "page workers could not start" in lines[0], done.stderr
