"""A reply's new words are shown apart from the message it quotes (the request page)."""

from __future__ import annotations

import pytest

from rapport.conversations.quoting import quote_split


@pytest.mark.parametrize(
    ("text", "new", "quoted"),
    [
        ("Blue, please.", "Blue, please.", ""),
        ("Blue.\n\n> Thank you,\n> Alice", "Blue.", "> Thank you,\n> Alice"),
        (
            "Blue.\n\nPada Sen, 23 Nov 2026, Alice menulis:\n> Halo,\n>\n> Terima kasih,\n",
            "Blue.",
            "Pada Sen, 23 Nov 2026, Alice menulis:\n> Halo,\n>\n> Terima kasih,",
        ),
        (
            "Blue.\n-----Original Message-----\nFrom: Alice\nHello",
            "Blue.",
            "-----Original Message-----\nFrom: Alice\nHello",
        ),
        # Quoting inline, answering in between: all of it is the message.
        (
            "> Which colour?\nBlue.\n> And the size?\nA4.",
            "> Which colour?\nBlue.\n> And the size?\nA4.",
            "",
        ),
        # Only a quote: nothing to fold away.
        ("> Thank you,", "> Thank you,", ""),
        # A colon at the end of the last own line, not followed by a quote, stays.
        ("The sizes:\nA4 and A3", "The sizes:\nA4 and A3", ""),
    ],
)
def test_quote_split(text: str, new: str, quoted: str) -> None:
    assert quote_split(text) == (new, quoted)
