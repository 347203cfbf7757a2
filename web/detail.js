// @ts-check
/**
 * A finding's detail: what is wrong, the rule, expected against printed figures, and its place in
 * the document (the table as Crosscheck read it with the cells highlighted, or the paragraph with
 * the quoted sentence marked).
 *
 * The first cell of a location is the figure the finding is about (e.g. the printed total); the
 * rest are the figures it was checked against, highlighted more lightly.
 */

/** @typedef {import("../generated/contract").ParsedDocument} ParsedDocument */
/** @typedef {import("../generated/contract").DocTable} DocTable */
/** @typedef {import("../generated/contract").DocParagraph} DocParagraph */
/** @typedef {import("../generated/contract").Location} Location */
/** @typedef {import("./findings.js").Finding} Finding */

import { h } from "./dom.js";
import { describeLocation } from "./findings.js";
import { SEVERITY_LABELS, agentTitle, formatAmount, formatPercent, humanize, scaleLabel } from "./format.js";

/**
 * @param {Finding} finding
 * @param {ParsedDocument | null} doc  null while loading or when the document is unavailable
 * @param {string | null} docProblem  why the document is unavailable, if it is
 * @returns {HTMLElement}
 */
export function renderFindingDetail(finding, doc, docProblem) {
  return h(
    "article",
    { class: "detail", "data-finding-id": finding.id },
    h(
      "header",
      {},
      h("p", { class: "detail-kicker" }, h("span", { class: `badge sev-${finding.severity}` }, SEVERITY_LABELS[finding.severity] ?? finding.severity), ` ${agentTitle(finding.agent)}`),
      h("h2", { id: "finding-title" }, finding.title),
    ),
    h("p", { class: "detail-description" }, finding.description),
    h("dl", { class: "facts-list" }, h("dt", {}, "Reference"), h("dd", {}, finding.reference), specifics(finding)),
    numbersOf(finding),
    h(
      "section",
      { class: "detail-locations", "aria-label": "Where in the document" },
      h("h3", {}, "In the document"),
      finding.locations.length === 0 ? h("p", { class: "muted" }, "The finding concerns the document as a whole.") : null,
      finding.locations.map((location) => locationView(location, doc, docProblem)),
    ),
    h("p", { class: "detail-id muted" }, `Finding ${finding.id}`),
  );
}

/**
 * Fields that only some agents' findings have.
 * @param {Finding} finding
 * @returns {HTMLElement[]}
 */
function specifics(finding) {
  /** @type {[string, string][]} */
  let rows;
  switch (finding.agent) {
    case "numeric":
      rows = [["Check", humanize(finding.check)]];
      break;
    case "logic":
      rows = [
        ["Check", humanize(finding.check)],
        ["The document says", finding.claim],
        ["But", finding.contradiction],
      ];
      break;
    case "disclosure":
      rows = [
        ["Standard", finding.standard],
        ["Requirement", finding.requirement],
        ["Status", humanize(finding.status)],
      ];
      break;
    case "external":
      rows = [
        ["Status", humanize(finding.status)],
        ["Source", `${humanize(finding.source)} (${finding.source_date})`],
        ["The source says", finding.evidence],
      ];
      break;
    default:
      rows = [];
  }
  return rows.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]);
}

/**
 * Expected against printed, for numeric findings.
 * @param {Finding} finding
 * @returns {HTMLElement | null}
 */
function numbersOf(finding) {
  if (finding.agent !== "numeric") return null;
  const unit = scaleLabel(finding.scale);
  return h(
    "table",
    { class: "numbers" },
    h("caption", {}, `${finding.period}${unit ? `, in ${unit}` : ""}`),
    h(
      "tbody",
      {},
      h("tr", {}, h("th", { scope: "row" }, "Expected"), h("td", { class: "num", "data-field": "expected" }, formatAmount(finding.expected))),
      h("tr", {}, h("th", { scope: "row" }, "Printed"), h("td", { class: "num", "data-field": "actual" }, formatAmount(finding.actual))),
      h("tr", { class: "difference" }, h("th", { scope: "row" }, "Difference"), h("td", { class: "num", "data-field": "difference" }, formatAmount(finding.difference))),
      finding.materiality !== undefined
        ? h("tr", {}, h("th", { scope: "row" }, "Share of the total"), h("td", { class: "num" }, formatPercent(finding.materiality)))
        : null,
    ),
  );
}

/**
 * @param {Location} location
 * @param {ParsedDocument | null} doc
 * @param {string | null} docProblem
 * @returns {HTMLElement}
 */
function locationView(location, doc, docProblem) {
  if (location.document) {
    const caption = h("p", { class: "location-caption" }, describeLocation(location));
    // Another uploaded file (prior year, memo): only the quote is available.
    return h("div", { class: "location" }, caption, location.quote ? h("blockquote", {}, location.quote) : null);
  }
  if (!doc) {
    return h(
      "div",
      { class: "location" },
      h("p", { class: "location-caption" }, describeLocation(location)),
      location.quote ? h("blockquote", {}, h("mark", {}, location.quote)) : null,
      h("p", { class: "muted" }, docProblem ?? "Loading the document…"),
    );
  }
  const table = location.table ? doc.blocks.find((b) => b.block === "table" && b.id === location.table) : undefined;
  const paragraph = location.paragraph ? doc.blocks.find((b) => b.block === "paragraph" && b.id === location.paragraph) : undefined;
  if (table && table.block === "table") {
    const related = (location.cells?.length ?? 0) > 1;
    return h(
      "div",
      { class: "location" },
      h(
        "p",
        { class: "location-caption legend" },
        h("span", { class: "legend-item" }, h("span", { class: "swatch hl-primary", "aria-hidden": "true" }), "the figure in question"),
        related
          ? h("span", { class: "legend-item" }, h("span", { class: "swatch hl-related", "aria-hidden": "true" }), "the figures it was checked against")
          : null,
      ),
      tableView(table, location),
      location.quote ? h("blockquote", {}, h("mark", {}, location.quote)) : null,
    );
  }
  const where = placeName(location, doc);
  return h(
    "div",
    { class: "location" },
    where ? h("p", { class: "location-caption" }, where) : null,
    paragraph && paragraph.block === "paragraph" ? paragraphView(paragraph, location.quote) : null,
    !paragraph && location.quote ? h("blockquote", {}, h("mark", {}, location.quote)) : null,
  );
}

/**
 * Where a location is, in words a reader knows: the section's title (agents may name a section
 * by its id or by its title) and the table's title; never the internal ids.
 * @param {Location} location
 * @param {ParsedDocument} doc
 * @returns {string}
 */
function placeName(location, doc) {
  const section = location.section ? (doc.sections.find((s) => s.id === location.section)?.title ?? location.section) : "";
  const parts = [section, location.table_title ?? ""].filter((part, i, all) => part && all.indexOf(part) === i);
  return parts.join(" · ");
}

/**
 * The table as Crosscheck read it, with the location's cells highlighted.
 * @param {DocTable} table
 * @param {Location} location
 * @returns {HTMLElement}
 */
export function tableView(table, location) {
  const cells = location.cells ?? [];
  /** @type {Map<string, "primary" | "related">} */
  const marks = new Map(cells.map((c, i) => [`${c.row}:${c.column}`, i === 0 ? "primary" : "related"]));
  const rowsMarked = new Set(cells.map((c) => c.row));
  const heading = [table.title, table.scale_label && table.scale_label !== "units" ? `in ${table.scale_label}` : "", table.currency ?? ""]
    .filter(Boolean)
    .join(" · ");
  return h(
    "div",
    { class: "doc-table-wrap", tabindex: "0", role: "region", "aria-label": `Table ${table.id}` },
    h(
      "table",
      { class: "doc-table", "data-table-id": table.id },
      heading ? h("caption", {}, heading) : null,
      h("thead", {}, h("tr", {}, table.columns.map((c) => h("th", { scope: "col", "data-role": c.role }, c.header)))),
      h(
        "tbody",
        {},
        table.rows.map((row) =>
          h(
            "tr",
            { "data-row": row.index, "data-kind": row.kind, class: rowsMarked.has(row.index) ? "row-marked" : null },
            table.columns.map((column) => {
              const mark = marks.get(`${row.index}:${column.index}`);
              const text = row.cells[column.index] ?? "";
              const attrs = {
                "data-row": row.index,
                "data-column": column.index,
                "data-role": column.role,
                class: mark ? `hl hl-${mark}` : null,
                "aria-label": mark ? `${text} (${mark === "primary" ? "the figure in question" : "checked against"})` : null,
              };
              return column.role === "label" ? h("th", { scope: "row", ...attrs }, text) : h("td", attrs, text);
            }),
          ),
        ),
      ),
    ),
  );
}

/**
 * A paragraph with the quoted sentence marked (the whole paragraph when the quote is not in it).
 * @param {DocParagraph} paragraph
 * @param {string | undefined} quote
 * @returns {HTMLElement}
 */
function paragraphView(paragraph, quote) {
  const at = quote ? paragraph.text.indexOf(quote) : -1;
  if (!quote || at < 0) return h("blockquote", { "data-paragraph": paragraph.id }, quote ? h("mark", {}, paragraph.text) : paragraph.text);
  return h(
    "blockquote",
    { "data-paragraph": paragraph.id },
    paragraph.text.slice(0, at),
    h("mark", {}, quote),
    paragraph.text.slice(at + quote.length),
  );
}
