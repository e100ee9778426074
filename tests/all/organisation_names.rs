// Included (`include!`) by the starter-site test (tests/all/bad_input.rs), which builds a site
// for each name, and by the PDF's unit test of the cover (src/pdf.rs): one list for both.

/// Organisation names that break a page or the PDF wherever they are read as markup or code
/// rather than as text.
const ORGANISATION_NAMES: [&str; 11] = [
    "Kommun: \"Test\" #1",
    "O'Brien's kommun",
    "Rad ett\nRad två",
    "<script>alert(1)</script>",
    "*[x](javascript:alert(1))*",
    "---",
    "@phase/x & *alias",
    "a\\b\\\\c {a: b}",
    "Tab\there",
    "Ärlig ünicode — 😀",
    "\") #set page(width: 1cm) // ",
];
