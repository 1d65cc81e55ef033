"""The run configuration: an explicit, ordered list of notebook steps and their parameters.

``config/params.yaml`` has these sections:

``editions``
    the languages the report is published in (``[en, fi, sv]``). Steps that draw figures take
    the list as their ``languages`` parameter and draw each figure once per language; the
    report step runs once per edition with that edition's ``lang``. ``-p lang=fi`` (or
    ``-p lang=[fi,sv]``) renders only those editions and reruns no analysis step.
``report``
    which step's notebook becomes the report, where each edition's HTML goes and its title.
``common``
    parameters passed to every step whose notebook declares them (a step gets only the ones
    it uses, so changing one reruns only those steps), except ``profile`` (``demo`` or
    ``public``), which only chooses ``raw_dir`` (``data/raw/{profile}``).
``steps``
    the ordered steps; each names its notebook, its ``inputs`` and ``outputs`` (paths or globs
    relative to the project root, which may use ``{parameter}`` placeholders) and its own
    ``parameters``.

``-p key=value`` (every step that has ``key``) and ``-p step.key=value`` override a parameter;
the value is read as YAML. An override is checked as it is read, before anything runs: the step
and the parameter must exist, the value must be of the kind of the value it replaces (a whole
number for ``min_cell``, a list for ``languages``; a text parameter takes the text as written),
and every language in ``lang`` or ``languages`` must be one of the ``editions``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from analysis.build.parameters import check_languages, checked_override, notebook_defaults
from analysis.build.step import ConfigError, Step
from analysis.fetch.public import PublicFolderIncomplete, check_public_folder
from analysis.files.paths import file_safe, find_project_root, resolve


def resolve_profile(common: dict[str, Any], root: Path | None = None) -> str:
    """Take ``profile`` out of ``common`` and put its folder in ``raw_dir``; return the profile.

    ``raw_dir`` may name the folder through ``{profile}`` (``data/raw/{profile}``), so the
    notebooks receive a plain ``raw_dir`` and no new parameter. A ``raw_dir`` without the
    placeholder (``-p raw_dir=data/raw/2025``) wins over the profile. On the ``public`` profile
    the folder must hold every source; otherwise the error lists what is missing and how to
    get it.
    """
    profile = str(common.pop("profile", "") or "")
    raw_dir = str(common.get("raw_dir", ""))
    if "{profile}" not in raw_dir:
        return profile
    if not profile or not all(c.isalnum() or c in "-_" for c in profile):
        raise ConfigError(f"profile {profile!r} is not a folder name (demo, public, ...)")
    common["raw_dir"] = raw_dir.replace("{profile}", profile)
    if profile == "public":
        try:
            check_public_folder(resolve(common["raw_dir"], root))
        except PublicFolderIncomplete as error:
            raise ConfigError(str(error)) from None
    return profile


@dataclass(frozen=True)
class RunConfig:
    path: Path
    common: dict[str, Any]
    steps: tuple[Step, ...]  # the report step once per chosen edition
    report_step: str
    editions: tuple[str, ...]  # the editions this run renders
    titles: dict[str, str]
    report_outputs: dict[str, str]
    raw: dict[str, Any] = field(repr=False, default_factory=dict)
    institution: Step | None = None  # the per-institution report, run on request
    institution_outputs: dict[str, str] = field(default_factory=dict)
    profile: str = ""  # the data profile raw_dir was chosen by (demo, public), if any
    configured_editions: tuple[str, ...] = ()  # every edition the config names
    brief: Step | None = None  # the partner brief, run on request
    brief_outputs: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.titles[self.editions[0]]

    def institution_steps(self, key: str) -> list[Step]:
        """The institution report for one organisation key, once per chosen edition."""
        if self.institution is None:
            raise ConfigError(f"{self.path}: no 'institution_reports' section")
        safe = file_safe(key)
        single = len(self.configured_editions) == 1
        return [
            Step(
                name=f"institution {key}" + ("" if single else f" [{lang}]"),
                notebook=self.institution.notebook,
                parameters={**self.institution.parameters, "institution": key, "lang": lang},
                inputs=self.institution.inputs,
                executed=f"reports/executed/institutions/{lang}/{safe}.ipynb",
                renders=f"{self.institution_outputs[lang]}/{safe}.html",
                title=f"{self.titles[lang]} — {key}",
                base="institution_reports",
            )
            for lang in self.editions
        ]

    def brief_steps(
        self, partner: str, slug: str, institution: str = "", name: str = ""
    ) -> list[Step]:
        """The partner brief for one partner (its ROR id), once per chosen edition; the page is
        ``<output_dir>/<slug>.html``."""
        if self.brief is None:
            raise ConfigError(f"{self.path}: no 'partner_briefs' section")
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in slug)
        single = len(self.configured_editions) == 1
        return [
            Step(
                # Short: the page's header lists the step's parameters under its name.
                name=f"brief {partner}"
                + (f" with {institution}" if institution else "")
                + ("" if single else f" [{lang}]"),
                notebook=self.brief.notebook,
                parameters={
                    **self.brief.parameters,
                    "partner": partner,
                    "institution": institution,
                    "lang": lang,
                },
                inputs=self.brief.inputs,
                executed=f"reports/executed/briefs/{lang}/{safe}.ipynb",
                renders=f"{self.brief_outputs[lang]}/{safe}.html",
                title=f"{t_brief(lang)} — {name or slug}",
                base="partner_briefs",
            )
            for lang in self.editions
        ]

    def step(self, name: str) -> Step:
        """A step by name; a rendering step's name gives its first chosen edition."""
        for step in self.steps:
            if name in (step.name, step.base):
                return step
        known = ", ".join(dict.fromkeys(s.base or s.name for s in self.steps))
        raise ConfigError(f"no step named {name!r}; the steps are: {known}")

    def report_steps(self) -> list[Step]:
        return [s for s in self.steps if s.base == self.report_step]


def t_brief(lang: str) -> str:
    from analysis.i18n import t

    return t("brief.title", lang)


def _languages(value: Any, where: str) -> tuple[str, ...]:
    from analysis.i18n import LANGUAGES

    languages = [value] if isinstance(value, str) else list(value or [])
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown or not languages:
        raise ConfigError(
            f"{where}: {unknown or value!r} is not a report language (use {', '.join(LANGUAGES)})"
        )
    return tuple(dict.fromkeys(str(lang) for lang in languages))


def _per_language(value: Any, editions: tuple[str, ...], name: str) -> dict[str, str]:
    """A setting that is one string for every language, or ``{lang: value}`` with each edition."""
    if not isinstance(value, dict):
        return dict.fromkeys(editions, str(value))
    missing = [lang for lang in editions if lang not in value]
    if missing:
        raise ConfigError(f"report {name} has no entry for edition(s) {', '.join(missing)}")
    return {lang: str(value[lang]) for lang in editions}


def parse_override(text: str) -> tuple[str | None, str, Any]:
    """Parse ``key=value`` or ``step.key=value``; the value is read as YAML (numbers, lists...)."""
    if "=" not in text:
        raise ConfigError(f"override {text!r} is not of the form key=value")
    key, _, raw_value = text.partition("=")
    key = key.strip()
    if not key:
        raise ConfigError(f"override {text!r} has an empty key")
    try:
        value = yaml.safe_load(raw_value) if raw_value.strip() else ""
    except yaml.YAMLError as error:
        raise ConfigError(f"override {text!r}: value is not valid YAML ({error})") from None
    if isinstance(value, date | datetime):
        value = raw_value.strip()  # notebooks take dates as text, as the config writes them
    step_name, _, name = key.rpartition(".")
    return (step_name or None), name, value


# Sections outside ``steps`` whose notebook runs on request; ``-p SECTION.key=value`` reaches them.
ON_REQUEST = ("institution_reports", "partner_briefs")


def _configured_values(raw: dict[str, Any], step_name: str | None, name: str) -> dict[str, Any]:
    """Where an override of ``name`` (for step ``step_name``, or every step with None) lands,
    with the value it replaces there: ``common``, a step's or an on-request section's name."""
    common = raw["common"] or {}
    values = {"common": common[name]} if step_name is None and name in common else {}
    for section_name, parameters in _sections(raw):
        if step_name in (None, section_name) and name in parameters:
            values[section_name] = parameters[name]
    return values


def _sections(raw: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Each step and on-request section by name, with the parameters it gets (common ones too)."""
    common = raw["common"] or {}
    sections = [*raw["steps"], *({"name": key, **(raw.get(key) or {})} for key in ON_REQUEST)]
    return [(s.get("name"), {**common, **(s.get("parameters") or {})}) for s in sections]


def _checked(
    raw: dict[str, Any], override: str, editions: tuple[str, ...]
) -> tuple[str | None, str, Any]:
    """Parse one ``-p`` override and check it before anything runs: a step and a parameter
    that exist, a value of the kind the parameter takes, languages among the editions.
    ``-p lang=...`` (the editions this run renders) is checked by the caller."""
    step_name, name, value = parse_override(override)
    if name == "lang" and step_name is None:
        return step_name, name, value
    step_names = [entry.get("name") for entry in raw["steps"]]
    if step_name is not None and step_name not in [*step_names, *ON_REQUEST]:
        raise ConfigError(f"override for unknown step {step_name!r}")
    configured = _configured_values(raw, step_name, name)
    if not configured:
        known = {
            key
            for section, parameters in _sections(raw)
            for key in parameters
            if step_name in (None, section)
        }
        close = difflib.get_close_matches(name, sorted(known), n=1)
        raise ConfigError(
            f"override {name!r} is not a parameter of "
            f"{'step ' + repr(step_name) if step_name else 'any step'}"
            + (f" (did you mean {close[0]}?)" if close else "")
        )
    written = override.partition("=")[2].strip()
    value = checked_override(name, value, written, configured)
    if name in ("languages", "lang"):
        check_languages(f"-p {override.strip()}", _as_list(value), editions)
    return step_name, name, value


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _outputs(entry: dict[str, Any], path: Path) -> dict[str, Any]:
    """A step's outputs: each a pattern, or ``{path, needs}`` for one written only when the
    source folder ``needs`` is provided."""
    from analysis.build.check_data import SOURCES

    outputs, needs = [], {}
    for output in entry.get("outputs") or ():
        if isinstance(output, dict):
            if set(output) != {"path", "needs"} or output["needs"] not in SOURCES:
                raise ConfigError(
                    f"{path}: step {entry['name']!r}: an output is a path or "
                    f"{{path: ..., needs: SOURCE}} with SOURCE one of {list(SOURCES)}: {output}"
                )
            needs[output["path"]] = output["needs"]
            output = output["path"]
        outputs.append(output)
    return {"outputs": tuple(outputs), "needs": needs}


def _root_of(config_path: Path) -> Path:
    try:
        return find_project_root(config_path.resolve().parent)
    except FileNotFoundError:
        return config_path.resolve().parent


def _used(common: dict[str, Any], notebook: Path) -> dict[str, Any]:
    """The common parameters a notebook declares (all of them when it cannot be read yet)."""
    if not notebook.is_file():
        return dict(common)
    declared = notebook_defaults(notebook)
    return {name: value for name, value in common.items() if name in declared}


def _section_step(raw: dict, key: str, common: dict, parsed: list, root: Path) -> Step | None:
    """The step a section outside ``steps`` declares (``institution_reports``,
    ``partner_briefs``), its parameters overridden like a step's; None without the section."""
    section = raw.get(key)
    if not section:
        return None
    parameters = {**_used(common, root / section["notebook"]), **(section.get("parameters") or {})}
    for step_name, name, value in parsed:
        if step_name in (None, key) and name in parameters:
            parameters[name] = value
    return Step(
        name=key,
        notebook=section["notebook"],
        parameters=parameters,
        inputs=tuple(section.get("inputs") or ()),
    )


def load_config(path: Path, overrides: list[str] | None = None) -> RunConfig:
    """Read the config and merge common < step < command-line overrides into each step."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    for section in ("report", "common", "steps"):
        if section not in raw:
            raise ConfigError(f"{path}: missing section {section!r}")
    common = dict(raw["common"] or {})
    if "lang" in common:
        raise ConfigError(
            f"{path}: 'lang' is not a common parameter: list the report languages under "
            "'editions' (each edition renders with its own lang)"
        )
    configured = _languages(raw.get("editions") or ["en"], f"{path}: editions")
    parsed = [_checked(raw, override, configured) for override in overrides or []]
    editions = configured
    for step_name, name, value in parsed:
        if name == "lang" and step_name is None:
            editions = _languages(value, "-p lang")
            absent = [lang for lang in editions if lang not in configured]
            if absent:
                raise ConfigError(
                    f"-p lang: {', '.join(absent)} is not among the configured editions "
                    f"({', '.join(configured)}); add it under 'editions' in {path.name}"
                )
    parsed = [o for o in parsed if not (o[1] == "lang" and o[0] is None)]
    for step_name, name, value in parsed:
        if step_name is None and name in common:
            common[name] = value  # the header shows what every step really got
        if name == "profile" and step_name is not None:
            raise ConfigError("profile is chosen for the whole run: -p profile=NAME")
    profile = resolve_profile(common, _root_of(path))
    parsed = [o for o in parsed if o[1] != "profile"]
    step_names = [s.get("name") for s in raw["steps"]]

    steps = []
    for entry in raw["steps"]:
        missing = {"name", "notebook"} - set(entry)
        if missing:
            raise ConfigError(f"{path}: a step lacks {sorted(missing)}: {entry}")
        notebook = _root_of(path) / entry["notebook"]
        parameters = {**_used(common, notebook), **(entry.get("parameters") or {})}
        for step_name, name, value in parsed:
            if step_name in (None, entry["name"]) and (name in parameters or step_name is not None):
                parameters[name] = value
        steps.append(
            Step(
                name=entry["name"],
                notebook=entry["notebook"],
                parameters=parameters,
                inputs=tuple(entry.get("inputs") or ()),
                **_outputs(entry, path),
            )
        )
    if len(set(step_names)) != len(step_names):
        raise ConfigError(f"{path}: step names must be unique: {step_names}")
    institution = _section_step(raw, "institution_reports", common, parsed, _root_of(path))
    brief = _section_step(raw, "partner_briefs", common, parsed, _root_of(path))
    for step in [*steps, *(s for s in (institution, brief) if s is not None)]:
        if "languages" in step.parameters:
            where = f"{path.name}: step {step.name!r}: languages"
            check_languages(where, _as_list(step.parameters["languages"]), configured)
    report = raw["report"]
    report_step = report.get("step", steps[-1].name)
    if report_step not in step_names:
        raise ConfigError(f"{path}: report step {report_step!r} is not among the steps")
    titles = _per_language(report.get("title", "Report"), configured, "title")
    outputs = _per_language(report.get("output", "reports/report.html"), configured, "output")
    expanded: list[Step] = []
    for s in steps:
        if s.name != report_step:
            expanded.append(s)
            continue
        single = len(configured) == 1  # one edition keeps the step's own names
        expanded += [
            Step(
                **{
                    **s.__dict__,
                    "name": s.name if single else f"{s.name} [{lang}]",
                    "parameters": {**s.parameters, "lang": lang},
                    "executed": "" if single else f"reports/executed/{s.stem}.{lang}.ipynb",
                    "renders": outputs[lang],
                    "title": titles[lang],
                    "base": s.name,
                }
            )
            for lang in editions
        ]
    config = RunConfig(
        path=path,
        common=common,
        steps=tuple(expanded),
        report_step=report_step,
        editions=editions,
        titles=titles,
        report_outputs=outputs,
        raw=raw,
        institution=institution,
        institution_outputs=_per_language(
            (raw.get("institution_reports") or {}).get("output_dir", "reports/institutions"),
            configured,
            "output_dir",
        ),
        profile=profile,
        configured_editions=configured,
        brief=brief,
        brief_outputs=_per_language(
            (raw.get("partner_briefs") or {}).get("output_dir", "reports/briefs"),
            configured,
            "output_dir",
        ),
    )
    config.step(config.report_step)
    return config
