"""Reading filings: the filed text as numbered lines, its sections, and what each provision says.

One extractor serves both `mist-check draft` (YAML from the text) and the `filed-text` rule (the
YAML checked against the text): ``text`` turns a plain-text, EDGAR full-submission or HTML filing
into numbered lines; ``sections`` finds the sections as the document numbers them;
``provisions/<kind>.py`` holds one extractor per provision (plugins add theirs through the
``mist_check_extractors`` hook); ``extract`` runs them; ``draft`` writes the YAML.
"""
