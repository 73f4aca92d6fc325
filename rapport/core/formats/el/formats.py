"""How dates, times and numbers read in Greek.

Examples: "6 Δεκεμβρίου 2026" (the genitive month), "6 Δεκεμβρίου 2026, 19:40", "06/12/2026".

One policy for pages, emails, PDFs and the timeline (docs/formatting.md): day before month, a
24-hour clock, no ISO dates in what people read. Amounts and numbers are formatted by Babel in
``rapport.core.formatting``; the separators here are the same so that Django's own number
output agrees with it.
"""

DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
# Typed dates are read day first; ISO (what <input type="date"> sends) is always accepted too.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y, %H:%M"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
