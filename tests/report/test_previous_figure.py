"""Last year's figure (scoring.previous): a published rank without an index is still a figure."""

from decimal import Decimal

from assessments.scoring import COMPUTED, PUBLISHED, PreviousFigure


def test_rank_only_published_figure_does_not_claim_to_differ_from_computed():
    figure = PreviousFigure("", None, 21, PUBLISHED, Decimal("84.4712"))
    assert figure.differs_from_computed is False


def test_published_index_beyond_tolerance_differs_from_computed():
    assert PreviousFigure("", Decimal("84.47"), 39, PUBLISHED, Decimal("84.2000")).differs_from_computed
    assert not PreviousFigure("", Decimal("84.47"), 39, PUBLISHED, Decimal("84.4712")).differs_from_computed
    assert not PreviousFigure("", Decimal("84.20"), None, COMPUTED, Decimal("84.2000")).differs_from_computed
