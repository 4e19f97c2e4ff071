"""The reports as PDFs (SPEC 6): the shift report, trends and service gaps.

``document`` makes the A4 pages and their footer, ``tables``, ``charts``, ``heatmap``, ``ranking``
and ``tiles`` the parts a report is built from, ``words`` the words for numbers and times; one
module a report (``shift``, ``trends``, ``gaps``) turns its figures into a PDF's bytes.
"""
