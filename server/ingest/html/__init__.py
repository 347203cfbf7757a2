"""HTML filings (.htm, .html, .xhtml; inline XBRL or not) and report packages (.zip).

`read_html` parses one document into raw blocks for `assemble`, with every `ix:nonFraction`
figure's tag kept beside it; `read_package` finds the main document of an ESEF or SEC report
package and its calculation linkbase. Modules: `tree` (parsing), `ixbrl` (contexts, units,
transformations), `grid` (tables), `body` (reading order, page chrome, contents lists),
`calculations` (the linkbase), `package` (zip archives).
"""

from __future__ import annotations

from server.ingest.html.document import read_html
from server.ingest.html.package import read_package

__all__ = ["read_html", "read_package"]
