"""One way to lay out an OmegaT project for the CAT-tool tests (console mode, our TMX in tm/auto)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

PROJECT_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>en-GB</source_lang>
    <target_lang>cy-GB</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.DefaultTokenizer</target_tok>
    <sentence_seg>{sentence_seg}</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""


def omegat_project(
    root: Path, tmx: Path, source_text: str, *, sentence_seg: bool, filters_xml: str | None = None
) -> Path:
    """A project under ``root`` translating ``source_text`` (source/leaflet.txt) with ``tmx`` in tm/auto."""
    project = root / "omegat-project"
    for folder in ("source", "target", "tm/auto", "omegat", "glossary", "dictionary"):
        (project / folder).mkdir(parents=True)
    xml = PROJECT_XML.format(sentence_seg="true" if sentence_seg else "false")
    (project / "omegat.project").write_text(xml, encoding="utf-8")
    if filters_xml is not None:
        (project / "omegat" / "filters.xml").write_text(filters_xml, encoding="utf-8")
    shutil.copy(tmx, project / "tm" / "auto" / "aligner.tmx")
    (project / "source" / "leaflet.txt").write_text(source_text, encoding="utf-8")
    return project


def run_omegat(omegat: str, project: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """OmegaT in console mode on ``project`` (headless, its settings under ``home``)."""
    assert " " not in str(project), "the Debian omegat launcher splits arguments on spaces"
    env = {**os.environ, "HOME": str(home), "_JAVA_OPTIONS": "-Djava.awt.headless=true"}
    return subprocess.run(
        [omegat, str(project), "--mode=console-translate"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
