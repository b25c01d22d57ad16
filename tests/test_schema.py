"""The schema's body shapes: a body split into fields and joined back is the same text.

`join` is what the export back to files uses, so a round trip must be byte-identical.
"""

import pytest

from handreiking.files.frontmatter import parse_file
from handreiking.schema import KINDS

from .conftest import REAL_CONTENT


@pytest.mark.parametrize("kind", KINDS, ids=[kind.name for kind in KINDS])
def test_every_shipped_body_splits_and_joins_back_unchanged(kind):
    paths = sorted((REAL_CONTENT / kind.directory).glob(kind.pattern))
    assert paths
    for path in paths:
        body = parse_file(path).body
        values, children = kind.body.split(body)
        assert kind.body.join(values, children) == body, path
