"""The reader's corpus: files made by make_corpus.py, expectations in cases.py."""
