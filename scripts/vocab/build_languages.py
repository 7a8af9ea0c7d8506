"""Regenerate ontology/vocab/languages.ttl (the kgv:languages SKOS scheme) from maintained tables.

Run from the repository root after upgrading one of the source packages:

    python scripts/vocab/build_languages.py            # writes ontology/vocab/languages.ttl
    python scripts/vocab/build_languages.py --check    # exit 1 if the file is not up to date
    python scripts/vocab/build_languages.py --report decisions.tsv   # why labels were dropped

Needs the ``vocab`` extra (``pip install -e '.[vocab]'``): pycountry, langcodes[data]
(language_data), spacy-lookups-data; and pygments (a dependency of rich). The output depends only
on those packages' versions and scripts/vocab/curated/language_groups.tsv, and is byte-for-byte
deterministic.

Sources:
  * individual languages: ISO 639-3 (pycountry) -- living individual languages and macrolanguages,
    every historical/ancient one (type H: Latin, Sanskrit, Old English ...), Esperanto; extinct
    (type E) ones only with an ISO 639-1 code, CLDR locale data or a place in CORE (Coptic); no
    other constructed language and no special code (mis, mul, und, zxx).
  * names: CLDR / IANA-registry display names and IANA descriptions (language_data, the data package
    of langcodes), ISO 639-3 reference names without their qualifiers ("Swahili (macrolanguage)" ->
    "Swahili"), Wiktionary's canonical and other names (shipped with language_data), and accent-free
    spellings ("Bokmal"). Inverted names ("Greek, Modern") are not labels.
  * groups: ISO 639-5 (pycountry.language_families) plus scripts/vocab/curated/language_groups.tsv.
  * ambiguity: English word and name frequencies (spacy-lookups-data, en_lexeme_prob), country and
    subdivision names (pycountry), programming-language names (Pygments lexers), and the SURNAMES,
    ML_NAMES and ABBREVIATIONS (journal-title words: "Lett" of "Phys. Rev. Lett.") tables below.

Ambiguity policy. A label is ambiguous if its lowercase form or plural is a common English word
(log prob > COMMON_WORD_LOGPROB), its capitalised form a frequent proper noun, a country or
subdivision name, a surname frequent among ML authors, an ML model/library name, a programming
language, an abbreviated word of journal titles, or at most three letters long.
  * CORE languages (below: the most spoken and those most studied in NLP, ~360) keep their own
    names (ISO, CLDR, IANA, Wiktionary canonical) whatever their ambiguity ("Polish", "Thai"),
    except surnames, ML names and abbreviations ("Luo", "Zhuang", "Tulu" -> kg:needsContext;
    the alias "Lett" of Latvian is dropped);
  * other well-known languages (ISO 639-1 code, CLDR locale data or >= 1M speakers) keep a
    preferred name that is merely a common word or short;
  * an ambiguous alias (altLabel) is dropped, and so is an alias that names a kind of language
    ("Creole" for Haitian);
  * a language whose preferred name is ambiguous gets kg:needsContext true: it matches only beside a
    cue ("the Fang language", "Tulu speakers"). If that name is a very common word ("Are", "Even",
    "Bit") and the language is not well known, the name is dropped, and the language with it unless
    it has another name: the extractor's cue "language" follows such words all the time in ML text
    ("Are language models ...", "Even language models ...");
  * every other language (neither core nor well known) needs a cue too when its name is one word,
    and loses its one-word aliases (OBSCURE_NEEDS_CONTEXT): coined model and library names collide
    with them ("Wanda" pruning, "Pangu", "Tucano", "Keras" ~ Kera), and they are rarely what a
    capitalised word in an ML abstract means.
Every label is kg:caseSensitive (language names are capitalised in English), except group labels
marked "nocase" in the curated table. No two concepts share a label once lowercased and reduced to
letters and digits (accents folded); collisions are resolved towards the stronger claim (the
language's own ISO/CLDR name beats another's Wiktionary alias), then the better-known language;
a language left with no name gets its qualified ISO name ("Fang (Equatorial Guinea)"), and the
script fails if any collision remains.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "ontology" / "vocab" / "languages.ttl"
CURATED_GROUPS = Path(__file__).resolve().parent / "curated" / "language_groups.tsv"

KG = "https://w3id.org/paper-kg/"
CONCEPT_BASE = KG + "vocab/language/"
LEXVO3 = "http://lexvo.org/id/iso639-3/"
LEXVO5 = "http://lexvo.org/id/iso639-5/"

#: Lowercase form (or plural) with a log probability above this is a common English word.
COMMON_WORD_LOGPROB = -14.5
#: ... and above this a very common one ("even", "are", "bit", "label").
VERY_COMMON_WORD_LOGPROB = -11.0
#: A capitalised form above this is a frequent English proper noun (surname, place, brand).
PROPER_NOUN_LOGPROB = -14.5
#: Speakers from which a language counts as well known (with ISO 639-1 or CLDR locale data).
WELL_KNOWN_SPEAKERS = 1_000_000
#: Languages neither core nor well known match only beside a cue when their name is one word.
OBSCURE_NEEDS_CONTEXT = True

#: Languages kept unconditionally under their own names: the most spoken and those most studied in
#: NLP (FLORES-200, MasakhaNER, IndicNLP, AmericasNLP ...). ISO 639-3 codes.
CORE = frozenset(
    """
    eng zho cmn yue spa hin ara arb arz ary arq aeb apc acm afb ars ben por rus jpn deu fra kor tur
    vie ita tha swa swh yor hau ibo amh zul xho kin lug wol mlt eus cym gle isl mar tam tel kan mal
    guj urd nep npi sin mya khm lao tgl fil ind msa zsm jav sun que grn gug mri haw iku chr bod uig
    kaz uzb mon khk pus kur ckb kmr heb yid fin est hun lav lit ell grc sqi hye kat aze ukr bel pol
    ces slk slv hrv srp bos hbs bul mkd ron cat glg oci bre ltz fao nld afr fry dan nor nob nno swe
    som orm gaz tir sna sot tsn lin kon twi aka fon bam ful fuv pan pnb fas pes prs ori ory asm snd
    kas mai bho san pli lat ang enm ewe tso ven ssw nbl nde nya mlg run sag kau kab tzm zgh shi
    hat tat bak chv kir tgk tuk bal div dzo ceb ilo hil war min ace ban bug bjn mad smo ton fij tah
    epo gla glv cor ast arg cos srd fur roh scn nap vec lad nds gsw hsb dsb csb szl rue tpi bis pap
    aym arn nav kal sme che ava oss abk kbd cop syc arc hmn shn zha kok gom sat mni brx doi
    mag hne awa raj mwr tum bem luo kln kik kam luy mas nus din efi ibb tiv dje mos dag kri men tem
    kbp kmb umb lua lub nso pcm hak nan wuu hsn gan lzh non chu akk sux hit peo ave pal ota
    mfe crs jam ary tet mah mri rar niu gil kha lus kac lif new dty tsz yua quc
    kek cak tzo tzh zap mix maz nhn nci pbb shp cni ura tob ike ojb cre crk moh lkt sjd kpv
    udm mhr mrj myv mdf sah bua xal krc kum nog crh gag kaa
    acq als ayr azb azj cjk dik dyu kea knc lij lim lmo ltg lvs pag pbt plt quy taq uzn ydd hch bzd
    tar ctp bbj
    """.split()  # noqa: SIM905
)

#: ISO 639-3 special codes; constructed languages are left out except Esperanto.
SPECIAL = frozenset({"mis", "mul", "und", "zxx"})
KEPT_CONSTRUCTED = frozenset({"epo"})

# Claim strengths: a language's own reference names beat another language's aliases.
STRONG, MEDIUM, WEAK = 3, 2, 1

#: Surnames frequent among ML authors ("Fang et al.", "Luo et al.", "Zhuang et al."): common
#: Chinese surnames in pinyin and Wade-Giles/Cantonese spelling, Korean and Vietnamese surnames,
#: and a few others that are also language names. Such a label is ambiguous even for a core
#: language.
SURNAMES = frozenset(
    """
    Ai An Ba Bai Ban Bao Bi Bian Bo Cai Cao Cen Chai Chang Chao Che Chen Cheng Chi Chiang Chien
    Chiu Cho Choi Chong Chou Chow Chu Chuang Chung Cong Cui Dai Deng Di Ding Dong Dou Du Duan Fan
    Fang Fei Feng Fong Fu Fung Gan Gao Ge Geng Gong Gu Guan Gui Guo Han Hao He Hong Hou Hsiao Hsieh
    Hsu Hu Hua Huang Hui Hung Huo Ji Jia Jiang Jiao Jin Jing Kang Ke Kong Kou Kuang Kuo Kwan Kwok
    Kwong Lai Lam Lan Lang Lau Law Le Lei Leng Leung Li Lian Liang Liao Lin Ling Liu Lo Long Lou
    Lu Luo Lv Ma Mai Mak Man Mao Mei Meng Mi Miao Mo Mok Mou Mu Nan Ng Ni Nie Ning Niu Ou Pan Pang
    Pei Peng Poon Pu Qi Qian Qiao Qin Qiu Qu Quan Ran Rao Ren Rong Ruan Sha Shan Shao Shen Sheng
    Shi Shih Shu Si Siu Song Su Sui Sun Sze Tai Tam Tan Tang Tao Teng Tian Tong Tsai Tsang Tse
    Tseng Tsui Tu Wan Wang Wei Wen Wong Wu Xi Xia Xiang Xiao Xie Xin Xing Xiong Xu Xue Yan Yang Yao
    Yau Ye Yeung Yi Yin Ying Yip Yong You Yu Yuan Yue Yuen Zang Zeng Zha Zhai Zhan Zhang Zhao Zhen
    Zheng Zhong Zhou Zhu Zhuang Zhuo Zou Zuo
    Ahn Bae Baek Byun Cha Chae Cheon Chun Eom Gil Go Ha Ham Heo Hur Hwang Hyun Im Jang Jeon Jeong
    Jo Joo Ju Jung Kim Ko Koo Kwak Kwon Lee Lim Min Moon Mun Na Nam Noh Oh Park Pyo Rhee Roh Ryu
    Seo Seong Shin Sin Son Sung Um Won Woo Yoo Yoon Yun
    Bui Dang Dinh Doan Duong Hoang Huynh Khuc Kieu Luu Ngo Nguyen Pham Phan Quach Tran Trinh
    Truong Vo Vu
    Moore
    """.split()  # noqa: SIM905
)
#: Names of ML models, datasets and systems that are also language names ("Tulu 3", "Sora",
#: "Wan 2.1", "Mochi"): ambiguous in this project's texts even for a well-known language.
ML_NAMES = frozenset(
    """
    Adam Alpaca Apollo Atlas Aurora Aya Bactrian Bloom Chinchilla Claude Cosmos Dolly Dolma Eagle
    Emu Falcon Flamingo Gato Gemini Gemma Genie Gopher Griffin Grok Hawk Hyena Jais Jamba Kimi
    Koala Komodo Kosmos Lion Llama Luna Mamba Mercury Mistral Mochi Molmo Nemo Nova Olmo Orca
    Orion Phi Phoenix Qwen Raven Sailor Samba Sora Sparrow Titan Tulu Tülu Typhoon Vicuna Wan Yi
    Zephyr
    Keras Moshi Pangu Tucano Wanda
    """.split()  # noqa: SIM905
)

#: Abbreviated words of journal and proceedings titles (ISO 4, as reference lists write them:
#: "Phys. Rev. Lett.", "IEEE Signal Process. Lett.", "Ann. Stat."): in an abstract they are
#: citations, never languages, so a label spelled like one is ambiguous even for a core language
#: ("Lett", an old name of Latvian).
ABBREVIATIONS = frozenset(
    """
    Acad Adv Agric Am Anal Ann Annu Appl Arch Assoc Astron Astrophys Autom Biol Bull Chem Clin
    Commun Comput Conf Curr Dan Ecol Econ Electron Eng Environ Eur Fam Genet Geophys Hung Inf Inst
    Int Intell Lett Mater Math Mech Med Mol Natl Netw Neurosci Nucl Opt Phys Proc Process Psychol
    Recognit Rep Res Rev Robot Sci Soc Stat Struct Syst Technol Theor Trans Univ Zool
    """.split()  # noqa: SIM905
)


# ----------------------------------------------------------------------------- text helpers


def norm_key(label: str) -> str:
    """The collision key: accents folded, lowercased, letters and digits only."""
    folded = unicodedata.normalize("NFKD", label)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return "".join(ch for ch in folded.casefold() if ch.isalnum())


def ascii_fold(label: str) -> str | None:
    """ "Guaraní" -> "Guarani"; None when nothing changes or the result is not plain ASCII."""
    folded = unicodedata.normalize("NFKD", label)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    if folded == label or not folded.isascii():
        return None
    return folded


_PAREN = re.compile(r"\s*\([^()]*\)")
_HYPHENS = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2019": "'", "\u02bc": "'"}
)


def clean_name(name: str) -> str | None:
    """A table name as a label: qualifiers in parentheses removed; None if unusable.

    Unusable: inverted or list forms (with a comma), digits, non-Latin letters (the vocabulary is
    matched in English text), fewer than two letters.
    """
    name = unicodedata.normalize("NFC", name).translate(_HYPHENS)
    name = _PAREN.sub("", name)
    name = " ".join(name.split())
    if not name or "," in name or any(ch.isdigit() for ch in name):
        return None
    letters = 0
    for ch in name:
        if ch.isalpha():
            if "LATIN" not in unicodedata.name(ch, ""):
                return None
            letters += 1
        elif ch not in " -'.":
            return None
    if letters < 2 or (not name[0].isalpha() and name[0] != "'"):
        return None
    return name


def is_single_token(label: str) -> bool:
    return " " not in label and "-" not in label


# ----------------------------------------------------------------------------- sources


@dataclass
class Sources:
    """Everything read from the packages, once."""

    display: dict[str, str]  # IANA tag -> English display name (CLDR or IANA)
    iana: dict[str, dict[str, list[str]]]  # IANA tag -> registry fields
    wiktionary: dict[str, tuple[str, list[str], str]]  # tag -> (canonical, other names, family)
    extra: dict[str, list[str]]  # tag -> names (language_data's extra names, English)
    population: dict[str, int]  # tag -> speakers
    locale_languages: frozenset[str]  # tags with CLDR locale data
    word_logprob: dict[str, float]
    places: frozenset[str]
    programming: frozenset[str]  # programming-language names (Pygments lexer names)
    name_tokens: dict[str, int]  # word -> how many ISO 639-3 names contain it
    versions: dict[str, str]


def _language_data_file(name: str) -> Path:
    from language_data.util import data_filename

    return Path(data_filename(name))


def parse_iana_registry() -> dict[str, dict[str, list[str]]]:
    """The language subtags of the IANA registry, with all their fields (Description repeats)."""
    records: dict[str, dict[str, list[str]]] = {}
    text = _language_data_file("language-subtag-registry.txt").read_text(encoding="utf-8")
    for block in text.split("\n%%\n"):
        fields: dict[str, list[str]] = defaultdict(list)
        key = None
        for line in block.splitlines():
            if line.startswith("  ") and key:  # continuation line
                fields[key][-1] += " " + line.strip()
                continue
            if ":" not in line:
                continue
            key, _, value = line.partition(":")
            fields[key.strip()].append(value.strip())
        if fields.get("Type") == ["language"] and "Subtag" in fields:
            records[fields["Subtag"][0]] = dict(fields)
    return records


def load_sources() -> Sources:
    import pycountry
    import spacy_lookups_data
    from language_data.name_data import CODE_TO_NAMES, LANGUAGES_WITH_NAME_DATA
    from language_data.population_data import LANGUAGE_SPEAKING_POPULATION

    display = {tag: names["en"] for tag, names in CODE_TO_NAMES.items() if "en" in names}

    wiktionary: dict[str, tuple[str, list[str], str]] = {}
    with _language_data_file("wiktionary/codes-en.csv").open(encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t"):
            if len(row) < 2 or not re.fullmatch(r"[a-z]{2,3}", row[0]):
                continue
            others = [n.strip() for n in row[4].split(",")] if len(row) > 4 and row[4] else []
            family = row[2].strip() if len(row) > 2 else ""
            wiktionary[row[0]] = (row[1].strip(), [n for n in others if n], family)

    extra: dict[str, list[str]] = defaultdict(list)
    with _language_data_file("extra_language_names.csv").open(encoding="utf-8") as f:
        for row in csv.reader(f):
            if len(row) == 3 and row[0] == "en":
                extra[row[1]].append(row[2])

    prob_path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(prob_path, "rt", encoding="utf-8") as f:
        word_logprob = json.load(f)

    places: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                places.add(value)
    for sub in pycountry.subdivisions:
        places.add(_PAREN.sub("", sub.name).strip())

    from pygments.lexers import get_all_lexers

    programming = frozenset(name for name, *_ in get_all_lexers())

    name_tokens: dict[str, int] = defaultdict(int)
    for lang in pycountry.languages:
        for token in set(re.findall(r"[^\W\d_]+", _PAREN.sub("", lang.name))):
            name_tokens[token] += 1

    packages = ("pycountry", "langcodes", "language_data", "spacy-lookups-data", "pygments")
    versions = {pkg: metadata.version(pkg) for pkg in packages}
    return Sources(
        display=display,
        iana=parse_iana_registry(),
        wiktionary=wiktionary,
        extra=dict(extra),
        population={k: v for k, v in LANGUAGE_SPEAKING_POPULATION.items() if "-" not in k},
        locale_languages=frozenset(LANGUAGES_WITH_NAME_DATA),
        word_logprob=word_logprob,
        places=frozenset(places),
        programming=programming,
        name_tokens=dict(name_tokens),
        versions=versions,
    )


# ----------------------------------------------------------------------------- concepts


@dataclass
class Concept:
    slug: str  # IRI local name: ISO 639-3 code, or group-<code|slug>
    iso639_3: str | None = None
    iso639_1: str | None = None
    iso639_5: str | None = None
    group: bool = False
    core: bool = False
    well_known: bool = False
    living: bool = True
    macro: bool = False
    population: int = 0
    broader: str | None = None  # slug of the macrolanguage
    fallback: str = ""  # qualified reference name, used if every label is lost
    family: str = ""  # Wiktionary's family of the language ("creole or pidgin", "sign" ...)
    case_sensitive: bool = True
    needs_context: bool = False
    context_label: str | None = None  # the ambiguous name that made needs_context true
    # label -> (strength, source); the preferred-label candidates in order
    labels: dict[str, tuple[int, str]] = field(default_factory=dict)
    pref_order: list[str] = field(default_factory=list)
    pref: str | None = None

    @property
    def iri(self) -> str:
        return CONCEPT_BASE + self.slug

    def rank(self) -> tuple:
        """How well known: compared between concepts that claim the same label."""
        return (
            self.core,
            self.well_known,
            self.group,
            self.living,
            self.macro,
            self.population,
            self.iso639_1 is not None,
        )

    def add(self, raw: str | None, strength: int, source: str, *, pref: bool = False) -> None:
        label = clean_name(raw) if raw else None
        if not label:
            return
        variants = [label]
        folded = ascii_fold(label)
        if folded:
            variants.append(folded)
        for v in variants:
            old = self.labels.get(v)
            if old is None or old[0] < strength:
                self.labels[v] = (strength, source)
            if pref and v not in self.pref_order:
                self.pref_order.append(v)


def build_individuals(src: Sources) -> list[Concept]:
    import pycountry

    unknown = sorted(code for code in CORE if not pycountry.languages.get(alpha_3=code))
    if unknown:
        raise SystemExit(f"CORE has codes that are not ISO 639-3 languages: {unknown}")
    concepts: list[Concept] = []
    for lang in pycountry.languages:
        code = lang.alpha_3
        alpha2 = getattr(lang, "alpha_2", None)
        tag = alpha2 or code
        if code in SPECIAL or lang.type == "S":
            continue
        if lang.type == "C" and code not in KEPT_CONSTRUCTED:
            continue
        if lang.type == "E" and not (alpha2 or tag in src.locale_languages or code in CORE):
            continue
        population = src.population.get(tag, 0)
        c = Concept(
            slug=code,
            iso639_3=code,
            iso639_1=alpha2,
            core=code in CORE,
            living=lang.type == "L",
            macro=lang.scope == "M",
            population=population,
            fallback=" ".join(unicodedata.normalize("NFC", lang.name).translate(_HYPHENS).split()),
        )
        c.well_known = (
            c.core
            or bool(alpha2)
            or tag in src.locale_languages
            or (population >= WELL_KNOWN_SPEAKERS)
        )
        registry = src.iana.get(tag, {})
        macro_tag = registry.get("Macrolanguage", [None])[0]
        if macro_tag:
            macro = (
                pycountry.languages.get(alpha_2=macro_tag)
                if len(macro_tag) == 2
                else pycountry.languages.get(alpha_3=macro_tag)
            )
            c.broader = macro.alpha_3 if macro else None
        # Preferred-name candidates, best first: CLDR/IANA display name, ISO reference name.
        c.add(src.display.get(tag), STRONG, "cldr", pref=True)
        c.add(lang.name, STRONG, "iso639-3", pref=True)
        c.add(getattr(lang, "common_name", None), STRONG, "iso639-3", pref=True)
        for description in registry.get("Description", []):
            c.add(description, STRONG, "iana", pref=True)
        wikt = src.wiktionary.get(tag)
        if wikt:
            c.family = wikt[2]
            c.add(wikt[0], MEDIUM, "wiktionary", pref=True)
            for other in wikt[1]:
                c.add(other, WEAK, "wiktionary-alias")
        for name in src.extra.get(tag, []):
            c.add(name, MEDIUM, "language_data-extra")
        concepts.append(c)
    return concepts


def read_curated_groups(path: Path) -> list[dict[str, str]]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) > 5:
                raise SystemExit(f"{path}:{lineno}: more than 5 tab-separated columns")
            parts += [""] * (5 - len(parts))
            ident, pref, alts, flags, _comment = (p.strip() for p in parts)
            if not re.fullmatch(r"[a-z]{3}|[a-z][a-z0-9-]+", ident):
                raise SystemExit(f"{path}:{lineno}: bad id {ident!r}")
            if flags not in ("", "nocase"):
                raise SystemExit(f"{path}:{lineno}: unknown flag {flags!r}")
            rows.append(
                {"id": ident, "pref": pref, "alts": alts, "flags": flags, "line": str(lineno)}
            )
    return rows


def build_groups(curated: list[dict[str, str]]) -> list[Concept]:
    import pycountry

    iso = {f.alpha_3: f for f in pycountry.language_families}
    overrides = {r["id"]: r for r in curated if r["id"] in iso}
    unknown = [r for r in curated if len(r["id"]) == 3 and r["id"] not in iso]
    if unknown:
        raise SystemExit(f"{CURATED_GROUPS}: not ISO 639-5 codes: {[r['id'] for r in unknown]}")
    groups: list[Concept] = []
    for code, fam in sorted(iso.items()):
        row = overrides.get(code, {"pref": "", "alts": "", "flags": ""})
        if row["pref"] == "-":
            continue
        name = unicodedata.normalize("NFC", fam.name).translate(_HYPHENS)
        m = re.fullmatch(r"(.+) \(family\)", name)
        iso_label = f"{m.group(1)} languages" if m else name
        c = Concept(
            slug=f"group-{code}",
            iso639_5=code,
            group=True,
            well_known=True,
            fallback=name,
            case_sensitive=row["flags"] != "nocase",
        )
        if row["pref"]:
            c.add(row["pref"], STRONG, "curated", pref=True)
        c.add(iso_label, STRONG, "iso639-5", pref=True)
        for alt in filter(None, (a.strip() for a in row["alts"].split("|"))):
            c.add(alt, STRONG, "curated")
        groups.append(c)
    for row in curated:
        if row["id"] in iso:
            continue
        if not row["pref"] or row["pref"] == "-":
            raise SystemExit(
                f"{CURATED_GROUPS}:{row['line']}: a group without ISO code needs a prefLabel"
            )
        c = Concept(
            slug=f"group-{row['id']}",
            group=True,
            well_known=True,
            fallback=row["pref"],
            case_sensitive=row["flags"] != "nocase",
        )
        c.add(row["pref"], STRONG, "curated", pref=True)
        for alt in filter(None, (a.strip() for a in row["alts"].split("|"))):
            c.add(alt, STRONG, "curated")
        groups.append(c)
    return groups


# ----------------------------------------------------------------------------- ambiguity


#: A word in this many ISO 639-3 names ("Creole", "Sign") is generic, never one language's alias.
GENERIC_TOKEN_NAMES = 10
#: Words that make a name a different lect from the language it is listed under.
LECT_WORDS = frozenset({"Creole", "Pidgin", "Sign"})
#: Words in the own name of a creole or pidgin ("Belize Kriol English", "Pijin").
CREOLE_WORDS = frozenset({"Creole", "Kriol", "Kreyol", "Kreyòl", "Kriolu", "Pidgin", "Pijin"})
#: Reasons that make even a core language's own name ambiguous.
HARD_REASONS = frozenset({"surname", "ml-name", "programming-language", "abbreviation"})
#: Reasons with which a well-known language keeps its preferred name (case-sensitively).
BENIGN_REASONS = frozenset({"common-word", "short"})


def is_generic(label: str, concept: Concept, src: Sources) -> bool:
    """An alias that names a kind of language rather than this one: a word in many ISO names
    ("Creole" for Haitian), or a Wiktionary alias naming a creole, pidgin or sign language of a
    language that is none ("Hawaiian Creole English" under English)."""
    if src.name_tokens.get(label, 0) >= GENERIC_TOKEN_NAMES:
        return True
    if concept.labels[label][0] > WEAK:
        return False
    words = set(re.findall(r"[^\W\d_]+", label)) & LECT_WORDS
    own = {w for lab, (s, _) in concept.labels.items() if s > WEAK for w in lab.split()}
    if "creole" in concept.family or "pidgin" in concept.family or own & CREOLE_WORDS:
        own |= {"Creole", "Pidgin"}
    if "sign" in concept.family:
        own.add("Sign")
    return bool(words - own)


def ambiguity(label: str, src: Sources) -> list[str]:
    """Why a label may be something other than a language in English text (empty: it is safe)."""
    reasons: list[str] = []
    if label in src.programming or label + "s" in src.programming:
        reasons.append("programming-language")
    if label in ML_NAMES or label + "s" in ML_NAMES:  # the matcher accepts a plural "s"
        reasons.append("ml-name")
    if label in src.places:
        reasons.append("place")
    if not is_single_token(label):
        return reasons
    lower = label.lower()
    probs = [src.word_logprob.get(lower), src.word_logprob.get(lower + "s")]
    word = max((p for p in probs if p is not None), default=None)
    if word is not None and word > VERY_COMMON_WORD_LOGPROB:
        reasons.append("very-common-word")
    elif word is not None and word > COMMON_WORD_LOGPROB:
        reasons.append("common-word")
    proper = src.word_logprob.get(label)
    if proper is not None and proper > PROPER_NOUN_LOGPROB and label != lower:
        reasons.append("proper-noun")
    if label in SURNAMES:
        reasons.append("surname")
    if label in ABBREVIATIONS:
        reasons.append("abbreviation")
    if sum(ch.isalpha() for ch in label) <= 3:
        reasons.append("short")
    return reasons


@dataclass
class Decision:
    concept: str
    label: str
    kind: str  # pref / alt
    reasons: list[str]
    action: str  # kept / dropped / needsContext / concept-dropped / collision-lost


def apply_ambiguity(concepts: list[Concept], src: Sources, log: list[Decision]) -> list[Concept]:
    """Drop ambiguous aliases; flag, rename or drop languages whose own name is ambiguous."""
    kept: list[Concept] = []
    for c in concepts:
        if c.group:
            kept.append(c)
            continue
        own = {lab for lab, (strength, _) in c.labels.items() if strength >= MEDIUM}
        pref = next(iter(c.pref_order), None)
        for label in sorted(c.labels):
            reasons = ambiguity(label, src)
            if label != pref and is_generic(label, c, src):
                reasons.append("generic")
            if not reasons:
                continue
            hard = HARD_REASONS.intersection(reasons) or "generic" in reasons
            if c.core and label in own and not hard:
                log.append(Decision(c.slug, label, "own", reasons, "kept (core)"))
                continue
            if label == pref:
                continue  # decided below, for the whole concept
            del c.labels[label]
            log.append(Decision(c.slug, label, "alt", reasons, "dropped"))
        if pref is None or pref not in c.labels:
            kept.append(c)
            continue
        reasons = ambiguity(pref, src)
        if not reasons or (c.core and not HARD_REASONS.intersection(reasons)):
            kept.append(c)
        elif c.well_known and BENIGN_REASONS.issuperset(reasons):
            log.append(Decision(c.slug, pref, "pref", reasons, "kept (well known)"))
            kept.append(c)
        elif "very-common-word" in reasons and not c.well_known:
            # "Are", "Even", "Bit": even "X language" is unsafe ("Are language models ...").
            del c.labels[pref]
            others = [lab for lab in c.pref_order if lab in c.labels]
            if others:
                log.append(Decision(c.slug, pref, "pref", reasons, f"renamed {others[0]}"))
                kept.append(c)
            else:
                log.append(Decision(c.slug, pref, "pref", reasons, "concept-dropped"))
        else:
            c.needs_context = True
            c.context_label = pref
            log.append(Decision(c.slug, pref, "pref", reasons, "needsContext"))
            kept.append(c)
    return kept


def apply_obscure_policy(concepts: list[Concept], log: list[Decision]) -> None:
    """Languages that are neither core nor well known are rarely what a capitalised word in an ML
    abstract means, and coined model and library names collide with them ("Wanda" pruning, "Pangu",
    "Tucano", "Keras" ~ Kera): a one-word preferred name needs a cue, one-word aliases go."""
    if not OBSCURE_NEEDS_CONTEXT:
        return
    for c in concepts:
        if c.group or c.core or c.well_known or c.needs_context:
            continue
        if is_single_token(c.pref):
            c.needs_context = True
            log.append(Decision(c.slug, c.pref, "pref", ["obscure"], "needsContext"))
            continue
        for label in sorted(c.labels):
            if label != c.pref and is_single_token(label):
                del c.labels[label]
                log.append(Decision(c.slug, label, "alt", ["obscure"], "dropped"))


# ----------------------------------------------------------------------------- collisions


def resolve_collisions(concepts: list[Concept], log: list[Decision]) -> None:
    claims: dict[str, list[tuple[Concept, str]]] = defaultdict(list)
    for c in concepts:
        for label in c.labels:
            claims[norm_key(label)].append((c, label))
    for key in sorted(claims):
        owners = {c.slug: c for c, _ in claims[key]}
        if len(owners) < 2:
            continue

        def strength(c: Concept, key: str = key) -> int:
            return max(s for lab, (s, _) in c.labels.items() if norm_key(lab) == key)

        ranked = sorted(
            owners.values(), key=lambda c: (strength(c), c.rank(), c.slug), reverse=True
        )
        winner = ranked[0]
        for loser in ranked[1:]:
            for label in [lab for lab in loser.labels if norm_key(lab) == key]:
                del loser.labels[label]
                log.append(
                    Decision(loser.slug, label, "label", [f"also {winner.slug}"], "collision-lost")
                )


def choose_pref(concepts: list[Concept]) -> None:
    taken = {norm_key(lab) for c in concepts for lab in c.labels}
    for c in concepts:
        c.pref = next((lab for lab in c.pref_order if lab in c.labels), None)
        if c.pref is None:
            # every own name went to a better-known language: use the qualified reference name
            # ("Fang (Equatorial Guinea)"), unique by construction of ISO 639-3.
            fallback = " ".join(c.fallback.split())
            if norm_key(fallback) in taken:  # "Apma" vs "Ap Ma": add the code
                fallback = f"{fallback} ({c.iso639_3 or c.iso639_5 or c.slug})"
            if norm_key(fallback) in taken:
                raise SystemExit(f"{c.slug}: no label left and fallback {fallback!r} is taken")
            c.pref = fallback
            c.labels[fallback] = (STRONG, "fallback")
            taken.add(norm_key(fallback))
        if c.needs_context and c.context_label not in c.labels:
            c.needs_context = False  # the ambiguous name went to another language


def check_unique(concepts: list[Concept]) -> None:
    owner: dict[str, str] = {}
    clashes = []
    for c in concepts:
        for key in {norm_key(lab) for lab in c.labels}:
            if not key:
                clashes.append(f"{c.slug}: a label with no letters")
            elif key in owner and owner[key] != c.slug:
                clashes.append(f"{key!r}: {owner[key]} and {c.slug}")
            owner[key] = c.slug
    if clashes:
        raise SystemExit("label collisions after resolution:\n  " + "\n  ".join(clashes))


# ----------------------------------------------------------------------------- output


def turtle_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(concepts: list[Concept], src: Sources) -> str:
    v = src.versions
    n_groups = sum(c.group for c in concepts)
    out = [
        "# GENERATED by scripts/vocab/build_languages.py -- do not edit by hand.",
        "# Regenerate (repository root, with the `vocab` extra installed):",
        "#     python scripts/vocab/build_languages.py",
        "# Sources: ISO 639-3 and ISO 639-5 tables of pycountry " + v["pycountry"] + ";",
        "#   English names from language_data "
        + v["language_data"]
        + " (langcodes "
        + v["langcodes"]
        + "; CLDR, IANA subtag registry, Wiktionary);",
        "#   curated groups from scripts/vocab/curated/language_groups.tsv;",
        "#   ambiguity flags from English word frequencies (spacy-lookups-data "
        + v["spacy-lookups-data"]
        + ") and Pygments "
        + v["pygments"]
        + " lexer names.",
        "# Policy (see the script's docstring): every label is case-sensitive; kg:needsContext",
        "#   marks languages whose name is ambiguous or that are neither core nor well known.",
        f"# {len(concepts) - n_groups} languages, {n_groups} language groups.",
        "",
        "@prefix kg:      <https://w3id.org/paper-kg/> .",
        "@prefix kgv:     <https://w3id.org/paper-kg/vocab/> .",
        "@prefix kgl:     <https://w3id.org/paper-kg/vocab/language/> .",
        "@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix lexvo3:  <http://lexvo.org/id/iso639-3/> .",
        "@prefix lexvo5:  <http://lexvo.org/id/iso639-5/> .",
        "",
        "kgv:languages a skos:ConceptScheme ;",
        '    skos:prefLabel "Languages"@en ;',
        "    dcterms:source "
        + turtle_string(
            f"ISO 639-3 / ISO 639-5 via pycountry {v['pycountry']}; names via language_data "
            f"{v['language_data']} (CLDR, IANA registry, Wiktionary); "
            "scripts/vocab/curated/language_groups.tsv"
        )
        + " ;",
        "    dcterms:description "
        + turtle_string(
            "Natural languages and named language groups. Generated by "
            "scripts/vocab/build_languages.py; do not edit by hand."
        )
        + " .",
        "",
    ]
    for c in sorted(concepts, key=lambda c: c.slug):
        types = "skos:Concept, kg:LanguageGroup" if c.group else "skos:Concept"
        lines = [
            f"kgl:{c.slug} a {types} ;",
            "    skos:inScheme kgv:languages ;",
            "    kg:entityClass kg:Language ;",
            f"    skos:prefLabel {turtle_string(c.pref)} ;",
        ]
        alts = sorted(set(c.labels) - {c.pref})
        if alts:
            lines.append("    skos:altLabel " + ", ".join(turtle_string(a) for a in alts) + " ;")
        if c.broader:
            lines.append(f"    skos:broader kgl:{c.broader} ;")
        if c.iso639_3:
            lines.append(f'    kg:iso639_3 "{c.iso639_3}" ;')
        if c.iso639_1:
            lines.append(f'    kg:iso639_1 "{c.iso639_1}" ;')
        if c.iso639_5:
            lines.append(f'    kg:iso639_5 "{c.iso639_5}" ;')
        if c.case_sensitive:
            lines.append("    kg:caseSensitive true ;")
        if c.needs_context:
            lines.append("    kg:needsContext true ;")
        if c.iso639_3:
            lines.append(f"    skos:exactMatch lexvo3:{c.iso639_3} .")
        elif c.iso639_5:
            lines.append(f"    skos:exactMatch lexvo5:{c.iso639_5} .")
        else:
            lines[-1] = lines[-1][:-2] + " ."
        out.extend(lines)
        out.append("")
    return "\n".join(out)


def build(report: Path | None = None) -> tuple[str, list[Concept], list[Decision]]:
    src = load_sources()
    log: list[Decision] = []
    individuals = apply_ambiguity(build_individuals(src), src, log)
    groups = build_groups(read_curated_groups(CURATED_GROUPS))
    concepts = individuals + groups
    resolve_collisions(concepts, log)
    choose_pref(concepts)
    apply_obscure_policy(concepts, log)
    slugs = {c.slug for c in concepts}
    for c in concepts:
        if c.broader not in slugs:
            c.broader = None
    check_unique(concepts)
    text = render(concepts, src)
    if report:
        with report.open("w", encoding="utf-8") as f:
            f.write("concept\tlabel\tkind\treasons\taction\n")
            for d in sorted(log, key=lambda d: (d.action, d.concept, d.label)):
                f.write(f"{d.concept}\t{d.label}\t{d.kind}\t{','.join(d.reasons)}\t{d.action}\n")
    return text, concepts, log


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if --output differs from what would be written",
    )
    parser.add_argument("--report", type=Path, help="write the label decisions as TSV")
    args = parser.parse_args(argv)
    text, concepts, log = build(args.report)
    n_groups = sum(c.group for c in concepts)
    summary = (
        f"{len(concepts) - n_groups} languages, {n_groups} groups, "
        f"{sum(c.needs_context for c in concepts)} needsContext, "
        f"{sum(d.action == 'concept-dropped' for d in log)} dropped as ambiguous"
    )
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(
                f"{args.output}: out of date; run scripts/vocab/build_languages.py", file=sys.stderr
            )
            return 1
        print(f"{args.output}: up to date ({summary})")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({summary}, {len(text.encode()) / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
