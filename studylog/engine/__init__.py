"""The verification engine: parse a formula's LaTeX, bind it to code, check it numerically.

Nothing here knows about MkDocs or about any learning topic.
"""
