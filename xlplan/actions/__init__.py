"""The actions: one function each, the same for the command line, the ribbon and the server.

Each action reads the workbook through an engine (:mod:`xlplan.engines`), decides in the
pure core (:mod:`xlplan.core`) and returns a :class:`~xlplan.actions.base.Result` whose
plan the caller hands to the same engine. Nothing here knows whether the workbook is a
file or is open in Excel.

==========  ===========================================================================
action      what it plans
==========  ===========================================================================
check       the チェック結果 sheet (every finding, linked to its cell)
recompute   the computed columns of the input sheets, IDs for new rows, mark colours
render      recompute, then 資料4-1/4-2/4-3 and 集計 and their fingerprints
update      recompute, check and render together (the ribbon's すべて更新)
merge       returned copies into the master: cells, 変更履歴, merge log, recompute
split       (file only) one copy per group, and the issue record in the master
rollover    (file only) next year's master
export      (read only) one record per indicator, as a table
==========  ===========================================================================
"""
