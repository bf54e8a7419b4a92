// What may be in a name, a reference or an id: one line of text a person can
// read. Control characters (C0, DEL, C1 with NEL), line and paragraph
// separators, bidirectional controls and zero-width characters are refused:
// each can add a line to an email's text ("\u2028Subject: …"), reverse what a
// reader sees, or hide a difference between two names. Lone surrogates are not
// text at all. Free text (a summary, a note) may have lines, not NUL.

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
export const NOT_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/;
export const ONE_LINE_MESSAGE = "must be one line of plain text (no control, line-separator, direction or zero-width characters)";

export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const SURROGATE_MESSAGE = "must be valid Unicode text (it has a lone surrogate)";

/** Code-point order, for ASCII text such as ISO dates and references: a locale's comparison costs far more over many rows. */
export const ascii = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
