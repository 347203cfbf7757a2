"""Where the primary statements sit in the corpus 10-Ks: 1-based page numbers, read by eye.

Page numbers only (facts about public filings, no extract of them): `compare` counts the
tables each library finds on these pages. BS balance sheet, IS income statement, CI
comprehensive income, CF cash flows, EQ equity.
"""

STATEMENT_PAGES: dict[str, dict[str, int]] = {
    "ADOBE_2022_10K.pdf": {"BS": 53, "IS": 54, "CI": 55, "EQ": 56, "CF": 57},
    "AMD_2021_10K.pdf": {"IS": 51, "CI": 52, "BS": 53, "EQ": 54, "CF": 55},
    "BESTBUY_2023_10K.pdf": {"BS": 39, "IS": 40, "CI": 41, "CF": 42, "EQ": 43},
    "BOEING_2022_10K.pdf": {"IS": 55, "CI": 56, "BS": 57, "CF": 59, "EQ": 61},
    "CORNING_2022_10K.pdf": {"IS": 58, "CI": 59, "BS": 60, "CF": 61, "EQ": 62},
    "JOHNSON_JOHNSON_2022_10K.pdf": {"BS": 46, "IS": 47, "CI": 48, "EQ": 49, "CF": 50},
    "KRAFTHEINZ_2022_10K.pdf": {"IS": 52, "CI": 53, "BS": 54, "EQ": 55, "CF": 56},
    "LOCKHEEDMARTIN_2022_10K.pdf": {"IS": 63, "CI": 64, "BS": 65, "CF": 66, "EQ": 67},
    "MICROSOFT_2023_10K.pdf": {"IS": 58, "CI": 59, "BS": 60, "CF": 61, "EQ": 62},
    "PFIZER_2022_10K.pdf": {"IS": 54, "CI": 55, "BS": 56, "EQ": 57, "CF": 58},
    "VERIZON_2022_10K.pdf": {"IS": 54, "CI": 55, "BS": 56, "CF": 57, "EQ": 58},
    "WALMART_2023_10K.pdf": {"IS": 54, "CI": 55, "BS": 56, "EQ": 57, "CF": 58},
}
