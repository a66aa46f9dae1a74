"""督察信访 figures and the batch paragraph (domain.md §9; cli.md ``petitions stats`` and ``petitions report``).

Pure functions of a list of :class:`~models.petitions.Piece`: the store (or a test, or the demo data) gives
the pieces, these count them. Duplicates are kept in the list and counted only as duplicates. Because one
piece can carry several types and regions, the per-label counts may sum to more than the pieces; the
paragraph says so only when they do. Follow-up figures (办结率, overdue) are taken at an as-of date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from models.errors import UserFacingError
from models.numbers import chinese_numeral, fmt2, rate
from models.petitions import PetitionVocabulary, Piece, load_petition_vocabulary

FIGURES = ("pieces", "duplicates", "transferred", "untransferred", "closed", "open", "overdue")


class PetitionError(UserFacingError):
    """A batch that cannot be reported (no pieces), or wording templates that cannot be filled."""


@dataclass(frozen=True)
class Batch:
    """A batch as handed over: its number (第八批 = 8), the handover date and the body that handed it over."""

    number: int
    handed_over: date
    body: str


@dataclass(frozen=True)
class LabelCounts:
    """The counted pieces of one batch (or several) by type and region, zero counts left out, in table order."""

    pieces: int
    duplicates: int
    types: tuple[tuple[str, int], ...]  # (short type name, pieces)
    regions: tuple[tuple[str, int], ...]  # (region, pieces)
    transferred: int  # counted pieces with a 转办单位

    @property
    def multi_type(self) -> bool:
        """Some piece concerns several types: the type counts sum to more than the pieces."""
        return sum(n for _, n in self.types) > self.pieces

    @property
    def multi_region(self) -> bool:
        return sum(n for _, n in self.regions) > self.pieces

    @property
    def all_transferred(self) -> bool:
        """Every counted piece has a 转办单位 (and there is at least one)."""
        return self.pieces > 0 and self.transferred == self.pieces


def counted(pieces: Iterable[Piece]) -> list[Piece]:
    return [p for p in pieces if p.counted]


def count_labels(pieces: Iterable[Piece], vocab: PetitionVocabulary | None = None) -> LabelCounts:
    """Count pieces by type and by region (domain.md §9): duplicates are left out of every count but their own."""
    vocab = vocab or load_petition_vocabulary()
    pieces = list(pieces)
    kept = counted(pieces)
    type_names = vocab.types.ordered(t for p in kept for t in p.types)
    region_names = vocab.regions.ordered(r for p in kept for r in p.regions)
    types = [(t, sum(t in p.types for p in kept)) for t in type_names]
    regions = [(r, sum(r in p.regions for p in kept)) for r in region_names]
    return LabelCounts(
        pieces=len(kept),
        duplicates=len(pieces) - len(kept),
        types=tuple(types),
        regions=tuple(regions),
        transferred=sum(bool(p.unit) for p in kept),
    )


# ---------------------------------------------------------------- the batch paragraph


def _fill(vocab: PetitionVocabulary, key: str, **values) -> str:
    template = vocab.wording.get(key)
    if template is None:
        raise PetitionError(f"督察信访措辞缺少「{key}」")
    try:
        return template.format(**values)
    except KeyError as exc:
        known = "、".join("{" + v + "}" for v in values)
        raise PetitionError(f"督察信访措辞「{key}」含未知占位符 {{{exc.args[0]}}}（可用：{known}）") from None
    except (ValueError, IndexError) as exc:
        raise PetitionError(f"督察信访措辞「{key}」格式有误：{exc}") from None


def _items(vocab: PetitionVocabulary, pairs: Iterable[tuple[str, int]]) -> str:
    return vocab.wording["item_separator"].join(_fill(vocab, "item", name=name, count=n) for name, n in pairs)


def batch_paragraph(batch: Batch, pieces: Iterable[Piece], vocab: PetitionVocabulary | None = None) -> str:
    """The batch paragraph in the seed's words (domain.md §9), from the wording templates.

    （已扣除重复件） only when the batch had duplicates; each multi-label notice only when that list's counts
    sum to more than the pieces; the transfer sentence only when every counted piece has a 转办单位.
    """
    vocab = vocab or load_petition_vocabulary()
    own = [p for p in pieces if p.batch == batch.number]
    if not own:
        raise PetitionError(f"第 {batch.number} 批没有举报件")
    c = count_labels(own, vocab)
    w = vocab.wording
    text = _fill(
        vocab,
        "opening",
        month=batch.handed_over.month,
        day=batch.handed_over.day,
        body=batch.body,
        batch=chinese_numeral(batch.number),
        batch_number=batch.number,
        pieces=c.pieces,
        deducted=w["deducted"] if c.duplicates else "",
    )
    clauses = []
    if c.types:
        words = [(vocab.report_word(t), n) for t, n in c.types]
        clauses.append(_fill(vocab, "types", items=_items(vocab, words), multi=w["multi_type"] if c.multi_type else ""))
    if c.regions:
        multi = w["multi_region"] if c.multi_region else ""
        clauses.append(_fill(vocab, "regions", items=_items(vocab, c.regions), multi=multi))
    if clauses:
        text += w["between"].join(clauses) + w["end"]
    if c.all_transferred:
        text += w["transferred"]
    return text


# ---------------------------------------------------------------- follow-up figures


def _follow_up(name: str, pieces: list[Piece], as_of: date) -> dict:
    closed = sum(p.is_closed(as_of) for p in pieces)
    return {
        "name": name,
        "pieces": len(pieces),
        "closed": closed,
        "closure_rate": fmt2(rate(closed, len(pieces))),
        "overdue": sum(p.is_overdue(as_of) for p in pieces),
    }


def overdue_pieces(pieces: Iterable[Piece], as_of: date) -> list[Piece]:
    """Counted pieces past their 办理时限 without 办结时间 at the as-of date, earliest deadline first."""
    late = [p for p in counted(pieces) if p.is_overdue(as_of)]
    return sorted(late, key=lambda p: (p.deadline, p.batch, p.piece_no))


def petition_stats(
    pieces: Iterable[Piece], *, as_of: date, batch: int | None = None, vocab: PetitionVocabulary | None = None
) -> dict:
    """The ``petitions stats`` document of cli.md for one batch, or across all batches (``batch`` None).

    办结率 = counted pieces with a 办结时间 on or before the as-of date ÷ counted pieces (domain.md §9), overall,
    by region and by type; rates are two-decimal strings, null on a zero denominator.
    """
    vocab = vocab or load_petition_vocabulary()
    chosen = [p for p in pieces if batch is None or p.batch == batch]
    kept = counted(chosen)
    c = count_labels(chosen, vocab)
    closed = sum(p.is_closed(as_of) for p in kept)
    return {
        "batch": batch,
        "batches": sorted({p.batch for p in chosen}),
        "as_of": as_of.isoformat(),
        "pieces": c.pieces,
        "duplicates": c.duplicates,
        "types": [{"name": vocab.report_word(t), "count": n} for t, n in c.types],
        "regions": [{"name": r, "count": n} for r, n in c.regions],
        "multi_type": c.multi_type,
        "multi_region": c.multi_region,
        "transferred": c.transferred,
        "closed": closed,
        "closure_rate": fmt2(rate(closed, c.pieces)),
        "by_region": [_follow_up(r, [p for p in kept if r in p.regions], as_of) for r, _ in c.regions],
        "by_type": [_follow_up(vocab.report_word(t), [p for p in kept if t in p.types], as_of) for t, _ in c.types],
        "overdue": [
            {
                "batch": p.batch,
                "piece_no": p.piece_no,
                "regions": list(p.regions),
                "types": [vocab.report_word(t) for t in p.types],
                "unit": p.unit,
                "deadline": p.deadline.isoformat(),
                "days_overdue": p.days_overdue(as_of),
            }
            for p in overdue_pieces(kept, as_of)
        ],
    }


def batch_rows(batches: Iterable[Batch], pieces: Iterable[Piece], *, as_of: date) -> list[dict]:
    """One line per batch for ``petitions list`` and the page's batch list, newest batch first."""
    pieces = list(pieces)
    out = []
    for batch in sorted(batches, key=lambda b: b.number, reverse=True):
        own = [p for p in pieces if p.batch == batch.number]
        kept = counted(own)
        closed = sum(p.is_closed(as_of) for p in kept)
        out.append(
            {
                "batch": batch.number,
                "handed_over": batch.handed_over.isoformat(),
                "body": batch.body,
                "pieces": len(kept),
                "duplicates": len(own) - len(kept),
                "transferred": sum(bool(p.unit) for p in kept),
                "closed": closed,
                "closure_rate": fmt2(rate(closed, len(kept))),
                "overdue": sum(p.is_overdue(as_of) for p in kept),
            }
        )
    return out


def type_region_table(pieces: Iterable[Piece], vocab: PetitionVocabulary | None = None) -> dict:
    """Counted pieces by type × region (a piece with two types and two regions is in four cells), with the
    totals of :func:`count_labels` as the margins: the table the 督察信访 page shows beside the paragraph."""
    vocab = vocab or load_petition_vocabulary()
    kept = counted(pieces)
    c = count_labels(kept, vocab)
    cells = [[sum(t in p.types and r in p.regions for p in kept) for r, _ in c.regions] for t, _ in c.types]
    return {
        "types": [vocab.report_word(t) for t, _ in c.types],
        "regions": [r for r, _ in c.regions],
        "cells": cells,
        "type_totals": [n for _, n in c.types],
        "region_totals": [n for _, n in c.regions],
        "pieces": c.pieces,
        "multi_type": c.multi_type,
        "multi_region": c.multi_region,
    }


def pieces_behind(
    pieces: Iterable[Piece],
    figure: str,
    *,
    as_of: date,
    batch: int | None = None,
    type_word: str | None = None,
    region: str | None = None,
    vocab: PetitionVocabulary | None = None,
) -> list[Piece]:
    """The pieces behind a figure (every count is traceable): ``figure`` one of :data:`FIGURES`, narrowed to a
    batch, a type (short or report word) and a region; in batch and piece-number order."""
    if figure not in FIGURES:
        raise ValueError(f"unknown figure {figure!r}; expected one of {FIGURES}")
    vocab = vocab or load_petition_vocabulary()
    type_name = vocab.types.canonical(type_word, "types") if type_word else None
    region_name = vocab.regions.canonical(region, "regions") if region else None
    chosen = [
        p
        for p in pieces
        if (batch is None or p.batch == batch)
        and (type_word is None or type_name in p.types)
        and (region is None or region_name in p.regions)
    ]
    tests = {
        "pieces": lambda p: p.counted,
        "duplicates": lambda p: p.duplicate,
        "transferred": lambda p: p.counted and bool(p.unit),
        "untransferred": lambda p: p.counted and not p.unit,
        "closed": lambda p: p.counted and p.is_closed(as_of),
        "open": lambda p: p.counted and not p.is_closed(as_of),
        "overdue": lambda p: p.counted and p.is_overdue(as_of),
    }
    return sorted((p for p in chosen if tests[figure](p)), key=lambda p: p.key)
