"""One text of a partner's profile as the conflict finders read it: its origin, reading and embeddings."""

from __future__ import annotations

from dataclasses import dataclass

from commonground.core.results import EvidenceText
from commonground.core.semantics.engines import Matrix
from commonground.core.semantics.sectors import TextReading


@dataclass(frozen=True)
class TextUnit:
    """One text of a profile with where it came from, its reading and embedding."""

    party: str
    field: str
    text: str
    reading: TextReading
    vector: Matrix
    # The text without its leading subject ("Our stores sell fur" -> "sell fur"), when it has one.
    core_vector: Matrix | None = None
    # How the text acts on a rule, law or scheme (+1 puts it in force, −1 delays, weakens or
    # exempts from it; None: neither) and the embeddings of that measure's name and, when the text
    # lists several measures, of each one's (one row each).
    measure: int | None = None
    measure_vector: Matrix | None = None
    # The reader's embedding of that measure's name, so "le report de l'interdiction du diesel"
    # and "delay vehicle emission rules" can be compared across languages.
    measure_reader: Matrix | None = None
    # The multilingual reader's embedding, read only when a red line lists several items: it says
    # which item a text is nearest to in any language.
    reader_vector: Matrix | None = None
    # The policy area of the measure the text acts on ("clean-air rules"), when it names one close
    # enough (core/semantics/measure_domains.py), and the reader's cosine that placed it there.
    measure_domain: str | None = None
    measure_domain_cosine: float = 0.0

    def similarity(self, other: Matrix) -> float:
        """Cosine to ``other``: the better of the whole text and its predicate."""
        whole = float(other @ self.vector)
        return whole if self.core_vector is None else max(whole, float(other @ self.core_vector))

    def evidence(self) -> EvidenceText:
        return EvidenceText(party=self.party, field=self.field, text=self.text)
