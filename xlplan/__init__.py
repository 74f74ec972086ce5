"""xlplan: the 資料4 KPI progress report, run out of one master Excel workbook."""

__version__ = "0.1.0"
