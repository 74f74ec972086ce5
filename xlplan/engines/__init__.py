"""Engines: the workbooks actions read and write, behind one port (:class:`Engine`).

* :mod:`xlplan.engines.xlsx` — an ``.xlsx`` file, through openpyxl (safe open, backup,
  atomic save); what the command line and the secretariat's batches use.
* :mod:`xlplan.engines.excel` — the workbook open in Excel, through xlwings: desktop
  Excel (COM) when a ribbon button starts Python, or the book xlwings Server rebuilt from
  the add-in's JSON.

Actions (:mod:`xlplan.actions`) never branch on the engine.
"""
