"""Size limits on a document's text, set once and read where needed (pure: no Flask).

A document's body and its interpretation material are each at most MAX_BODY_CHARS
characters of HTML, as typed and as stored after cleaning: drafting refuses more
with a Chinese message.  The .docx writer accepts up to MAX_GENERATED_BODY_CHARS,
the stored limit plus room for what issuing adds around a stored text (the
interpretation's link line, masks a little longer than the words they replace),
so that a document that could be saved can always be issued, while generation
work stays bounded whoever calls the writer.
"""

MAX_BODY_CHARS = 500_000
MAX_GENERATED_BODY_CHARS = 2 * MAX_BODY_CHARS
