Attribute VB_Name = "XlplanRibbon"
' xlplan: the ribbon tab "ICT" (macros/ribbon.xml) and what its buttons run.
'
' Keep this file ASCII: the VBA editor imports it with the system code page. The
' Japanese messages below are hex code points, decoded by Ja(); VBA_MESSAGES in
' xlplan/addin/build.py holds the same texts and a test keeps both in step.
'
' xlplan addin build puts this file (and every other .bas/.cls of macros/) into the
' add-in's VBA project, with xlwings' VBA client for the server (Remote and what it
' needs). Before writing, it checks that every ribbon callback is a Public Sub here and
' that every procedure called is in the project or a VBA/Excel built-in (the list
' BUILTINS in xlplan/addin/vba_check.py): add a new built-in there when you use one.
'
' Every button calls XlplanRun with its tag (check, recompute, render, update, merge,
' status, remind). The tag goes to Python as xlplan.excel.run('<tag>'), or, when the
' add-in's SERVER_URL setting is filled in, to the xlwings Server endpoint
' <SERVER_URL>/xlplan/<tag>.
'
' merge (the secretariat's button) first lets the person choose the returned workbooks
' (XlplanMerge), remind the folder for the reminder drafts (XlplanRemind). Their paths
' travel to Python in a list file (UTF-16, one path a line); only that file's path is
' on the command line (--xlplan-paths=), never a chosen name, and nothing of it is ever
' part of the Python code. Both need Python on this PC: the server cannot reach the
' person's files and folders, so in server mode they only say so.
'
' Security: every setting comes from this add-in's own sheet (ThisWorkbook), never from
' the workbook that is open. Python runs in isolated mode (-I): no PYTHON* environment
' variables, no user site-packages, and neither the current folder nor the workbook's
' folder on sys.path, so a look-alike xlplan.py beside a received workbook is never
' imported. xlwings' own RunPython is deliberately not used: it reads its settings from
' a "<project>.conf" sheet of the active workbook first.
Option Explicit

Private Const CONF_SHEET As String = "xlplan.conf"
Private Const ACTIONS As String = "|check|recompute|render|update|merge|status|remind|"
Private Const WAIT_ON_RETURN As Boolean = True
Private Const HIDDEN_WINDOW As Integer = 0
' The error box shows the end of Python's log (the exception is its last line): MsgBox
' shows about 1,024 characters, which this, the message and a path stay well below.
Private Const LOG_TAIL As Long = 600
' The probe (XlplanProbe): its HTTP header on the server path, its format version, and
' how many cells of each kind it lists per sheet (an HTTP header stays below ~16 KB).
Private Const PROBE_HEADER As String = "X-Xlplan-Probe"
Private Const PROBE_VERSION As Long = 1
Private Const PROBE_LIMIT As Long = 200
' Application.FileDialog's folder picker (msoFileDialogFolderPicker), and what Show
' returns when the person chose one (-1): literals, so no Office library reference.
Private Const FOLDER_PICKER As Long = 4
Private Const DIALOG_OK As Long = -1

Private Const MSG_TITLE As String = "0049 0043 0054 9032 6357"
Private Const MSG_NO_BOOK As String = "30D6 30C3 30AF 3092 958B 3044 3066 304B 3089 5B9F 884C 3057 3066 304F 3060 3055 3044 3002"
Private Const MSG_UNKNOWN As String = "3053 306E 30DC 30BF 30F3 306B 306F 5BFE 5FDC 3059 308B 51E6 7406 304C 3042 308A 307E 305B 3093 3002"
Private Const MSG_NO_PYTHON As String = "0050 0079 0074 0068 006F 006E 304C 898B 3064 304B 308A 307E 305B 3093 3002 0078 006C 0070 006C 0061 006E 002E 0078 006C 0061 006D 0020 306E 8A2D 5B9A FF08 0049 004E 0054 0045 0052 0050 0052 0045 0054 0045 0052 005F 0057 0049 004E FF09 3092 4E8B 52D9 5C40 306B 78BA 8A8D 3057 3066 304F 3060 3055 3044 3002"
Private Const MSG_FAILED As String = "0050 0079 0074 0068 006F 006E 306E 5B9F 884C 306B 5931 6557 3057 307E 3057 305F 3002 6B21 306E 5185 5BB9 3092 4E8B 52D9 5C40 306B 77E5 3089 305B 3066 304F 3060 3055 3044 3002"
Private Const MSG_LOG As String = "8A18 9332 30D5 30A1 30A4 30EB FF1A"
Private Const MSG_CONF As String = "3053 306E 30D6 30C3 30AF 306B 306F 8A2D 5B9A 30B7 30FC 30C8 FF08 002E 0063 006F 006E 0066 FF09 307E 305F 306F 8A2D 5B9A 30D5 30A1 30A4 30EB 304C 4ED8 3044 3066 3044 308B 305F 3081 3001 5B9F 884C 3092 4E2D 6B62 3057 307E 3057 305F 3002 4E8B 52D9 5C40 306B 78BA 8A8D 3057 3066 304F 3060 3055 3044 3002"
Private Const MSG_MERGE_PICK As String = "53D6 308A 8FBC 3080 8FD4 9001 30D5 30A1 30A4 30EB 3092 9078 3093 3067 304F 3060 3055 3044 FF08 8907 6570 9078 3079 307E 3059 FF09"
Private Const MSG_MERGE_FILTER As String = "0045 0078 0063 0065 006C 0020 30D6 30C3 30AF 0020 0028 002A 002E 0078 006C 0073 0078 003B 002A 002E 0078 006C 0073 006D 0029 002C 002A 002E 0078 006C 0073 0078 003B 002A 002E 0078 006C 0073 006D"
Private Const MSG_REMIND_PICK As String = "7763 4FC3 30E1 30FC 30EB 306E 4E0B 66F8 304D 3092 4FDD 5B58 3059 308B 30D5 30A9 30EB 30C0 30FC 3092 9078 3093 3067 304F 3060 3055 3044"
Private Const MSG_MERGE_SERVER As String = "8FD4 9001 30D5 30A1 30A4 30EB 306E 53D6 308A 8FBC 307F 306F 3001 30B5 30FC 30D0 30FC 7D4C 7531 3067 306F 4F7F 3048 307E 305B 3093 FF08 30B5 30FC 30D0 30FC 304B 3089 306F 3053 306E 30D1 30BD 30B3 30F3 306E 30D5 30A1 30A4 30EB 3092 8AAD 3081 307E 305B 3093 FF09 3002 0050 0079 0074 0068 006F 006E 0020 3092 5165 308C 305F 30D1 30BD 30B3 30F3 306E 30A2 30C9 30A4 30F3 3067 5B9F 884C 3059 308B 304B 3001 4E8B 52D9 5C40 306E 30D1 30BD 30B3 30F3 3067 0020 0078 006C 0070 006C 0061 006E 0020 006D 0065 0072 0067 0065 0020 3092 4F7F 3063 3066 304F 3060 3055 3044 3002"
Private Const MSG_REMIND_SERVER As String = "7763 4FC3 30E1 30FC 30EB 306E 4F5C 6210 306F 3001 30B5 30FC 30D0 30FC 7D4C 7531 3067 306F 4F7F 3048 307E 305B 3093 FF08 30B5 30FC 30D0 30FC 304B 3089 306F 3053 306E 30D1 30BD 30B3 30F3 306E 30D5 30A9 30EB 30C0 30FC 306B 66F8 304D 8FBC 3081 307E 305B 3093 FF09 3002 0050 0079 0074 0068 006F 006E 0020 3092 5165 308C 305F 30D1 30BD 30B3 30F3 306E 30A2 30C9 30A4 30F3 3067 5B9F 884C 3059 308B 304B 3001 4E8B 52D9 5C40 306E 30D1 30BD 30B3 30F3 3067 0020 0078 006C 0070 006C 0061 006E 0020 0072 0065 006D 0069 006E 0064 0020 3092 4F7F 3063 3066 304F 3060 3055 3044 3002"

Private savedProtection As Object ' Scripting.Dictionary: "book!sheet" -> Allow* flags

' ---------------------------------------------------------------- ribbon callback

Public Sub XlplanRun(control As IRibbonControl)
    Dim action As String, url As String
    action = control.Tag
    If InStr(ACTIONS, "|" & action & "|") = 0 Or Len(action) = 0 Then
        MsgBox Ja(MSG_UNKNOWN) & vbLf & "(unknown action: " & action & ")", vbCritical, Ja(MSG_TITLE)
        Exit Sub
    End If
    If ActiveWorkbook Is Nothing Then
        MsgBox Ja(MSG_NO_BOOK), vbExclamation, Ja(MSG_TITLE)
        Exit Sub
    End If
    url = AddinSetting("SERVER_URL")
    If action = "merge" Then
        If url = "" Then
            XlplanMerge
        Else
            MsgBox Ja(MSG_MERGE_SERVER), vbExclamation, Ja(MSG_TITLE)
        End If
    ElseIf action = "remind" Then
        If url = "" Then
            XlplanRemind
        Else
            MsgBox Ja(MSG_REMIND_SERVER), vbExclamation, Ja(MSG_TITLE)
        End If
    ElseIf url = "" Then
        XlplanRunPython action
    Else
        XlplanRunServer url, action
    End If
End Sub

' ---------------------------------------------------------------- merge: choose the files

Private Sub XlplanMerge()
    Dim files As Variant, fso As Object, listFile As String, listOut As Object, i As Long
    files = Application.GetOpenFilename(FileFilter:=Ja(MSG_MERGE_FILTER), _
        Title:=Ja(MSG_MERGE_PICK), MultiSelect:=True)
    If Not IsArray(files) Then Exit Sub ' cancelled: nothing happens
    Set fso = CreateObject("Scripting.FileSystemObject")
    listFile = CreateObject("WScript.Shell").ExpandEnvironmentStrings("%TEMP%") & _
               "\xlplan-merge-" & Format(Now, "yyyymmdd-hhnnss") & ".txt"
    ' Unicode (UTF-16 with BOM): spaces and Japanese names arrive as they are.
    Set listOut = fso.CreateTextFile(listFile, True, True)
    For i = LBound(files) To UBound(files)
        listOut.WriteLine CStr(files(i))
    Next i
    listOut.Close
    XlplanRunPython "merge", listFile
    On Error Resume Next
    fso.DeleteFile listFile
    On Error GoTo 0
End Sub

' ---------------------------------------------------------------- remind: choose the folder

' The reminder drafts go into a folder the person picks; Python writes them there and
' shows the folder. Its path travels like merge's files: in a list file, never as code.
Private Sub XlplanRemind()
    Dim dlg As Object, fso As Object, listFile As String, listOut As Object
    Set dlg = Application.FileDialog(FOLDER_PICKER)
    dlg.Title = Ja(MSG_REMIND_PICK)
    dlg.AllowMultiSelect = False
    If dlg.Show <> DIALOG_OK Then Exit Sub ' cancelled: nothing happens
    Set fso = CreateObject("Scripting.FileSystemObject")
    listFile = CreateObject("WScript.Shell").ExpandEnvironmentStrings("%TEMP%") & _
               "\xlplan-remind-" & Format(Now, "yyyymmdd-hhnnss") & ".txt"
    Set listOut = fso.CreateTextFile(listFile, True, True)
    listOut.WriteLine CStr(dlg.SelectedItems(1))
    listOut.Close
    XlplanRunPython "remind", listFile
    On Error Resume Next
    fso.DeleteFile listFile
    On Error GoTo 0
End Sub

' ---------------------------------------------------------------- desktop: RunPython

Public Function XlplanRunPython(action As String, Optional listFile As String = "") As Long
    Dim sh As Object, interpreter As String, pyPath As String, logFile As String
    Dim cmd As String, exitCode As Long, extra As String
    Set sh = CreateObject("WScript.Shell")
    interpreter = sh.ExpandEnvironmentStrings(AddinSetting("INTERPRETER_WIN"))
    If interpreter = "" Or Dir(interpreter) = "" Then
        MsgBox Ja(MSG_NO_PYTHON) & vbLf & "(interpreter not found: " & interpreter & ")", vbCritical, Ja(MSG_TITLE)
        XlplanRunPython = -1
        Exit Function
    End If
    pyPath = sh.ExpandEnvironmentStrings(AddinSetting("PYTHONPATH"))
    ' A ';' always ends the list: an entry ending in "\" (C:\src\) would otherwise
    ' stand right before the closing quote, and "\"" is an escaped quote on a Windows
    ' command line, which would glue every later argument onto this one. Python drops
    ' the empty entry after the last ';'.
    logFile = Environ("TEMP") & "\xlplan-" & Format(Now, "yyyymmdd-hhnnss") & ".log"
    ' merge: the file listing the chosen workbooks (xlplan.excel.paths_from_argv)
    If listFile <> "" Then extra = " --xlplan-paths=""" & listFile & """"
    ' The same command line that tests/excel/test_security.py runs on Linux.
    cmd = "cmd.exe /C cd /d """ & ParentFolder(interpreter) & """ && """ & interpreter & """ -I -B -c " & _
          """import sys; sys.path[0:0] = [p for p in sys.argv[1].split(';') if p]; " & _
          "import xlplan.excel; xlplan.excel.run('" & action & "')"" """ & pyPath & ";""" & _
          " --wb=""" & ActiveWorkbook.Name & """ --from_xl=1" & _
          " --app=""" & Application.Path & "\" & Application.Name & """" & _
          " --hwnd=""" & Application.Hwnd & """" & extra & " 2> """ & logFile & """"
    exitCode = sh.Run(cmd, HIDDEN_WINDOW, WAIT_ON_RETURN)
    If exitCode <> 0 Then
        ' The end of the log (where the exception is) and where the whole log is kept.
        MsgBox Ja(MSG_FAILED) & vbLf & vbLf & LogTail(ReadText(logFile), LOG_TAIL) & _
            vbLf & vbLf & Ja(MSG_LOG) & logFile, vbCritical, Ja(MSG_TITLE)
    Else
        On Error Resume Next
        Kill logFile
        On Error GoTo 0
    End If
    XlplanRunPython = exitCode
End Function

' ---------------------------------------------------------------- fallback: xlwings Server

Public Sub XlplanRunServer(url As String, action As String)
    Dim timeout As Long, headers As New Dictionary
    ' xlwings' client reads proxy settings through GetConfig, which looks at a conf sheet
    ' or conf file of the active workbook first: refuse such a workbook.
    If CarriesConfig(ActiveWorkbook) Then
        MsgBox Ja(MSG_CONF), vbCritical, Ja(MSG_TITLE)
        Exit Sub
    End If
    timeout = CLng(Val(AddinSetting("TIMEOUT")))
    If timeout <= 0 Then timeout = 60000
    ' What the values alone do not show (hidden sheets, protection, merged cells,
    ' formulas, number formats) travels beside them, as xlplan.engines.excel reads it.
    headers.Add PROBE_HEADER, XlplanProbe(ActiveWorkbook)
    RunServerPython url & "/xlplan/" & action, auth:=AddinSetting("AUTH"), timeout:=timeout, _
        headers:=headers, enableAutoProxy:="False", insecure:="False", followRedirects:="False"
End Sub

Private Function CarriesConfig(wb As Workbook) As Boolean
    Dim sht As Object
    For Each sht In wb.Sheets
        If LCase$(Right$(sht.Name, 5)) = ".conf" Then
            CarriesConfig = True
            Exit Function
        End If
    Next sht
    If wb.Path <> "" And InStr(wb.Path, "://") = 0 Then
        If Dir(wb.Path & "\*.conf") <> "" Then CarriesConfig = True
    End If
End Function

' ---------------------------------------------------------------- macros Python calls

' The input sheets are protected; Python unprotects a sheet right before writing it and
' protects it again right after, with the same permissions.
'
' Contract: only sheets protected WITHOUT a password are unprotected. Unprotect with no
' argument would show Excel's password prompt on a sheet protected with one (and the
' re-protect below could not restore that password), so the empty password is passed
' explicitly: on a password-protected sheet Excel then raises instead of prompting,
' and this Sub raises vbObjectError + 602 with the sheet's name, nothing changed. The
' caller (Python) turns that into a message in Japanese.
Public Sub XlplanUnprotectSheet(wb As Workbook, sheetName As String)
    Dim ws As Worksheet, flags As Variant
    Set ws = wb.Worksheets(sheetName)
    If Not ws.ProtectContents Then Exit Sub
    With ws.Protection
        flags = Array(.AllowFormattingCells, _
            .AllowFormattingColumns, .AllowFormattingRows, .AllowInsertingColumns, _
            .AllowInsertingRows, .AllowInsertingHyperlinks, .AllowDeletingColumns, _
            .AllowDeletingRows, .AllowSorting, .AllowFiltering, .AllowUsingPivotTables)
    End With
    On Error GoTo locked
    ws.Unprotect Password:=""
    On Error GoTo 0
    If savedProtection Is Nothing Then Set savedProtection = CreateObject("Scripting.Dictionary")
    savedProtection(wb.Name & "!" & sheetName) = flags
    Exit Sub
locked:
    Err.Raise vbObjectError + 602, "XlplanUnprotectSheet", _
        "sheet protected with a password: " & sheetName
End Sub

Public Sub XlplanProtectSheet(wb As Workbook, sheetName As String)
    Dim key As String, f As Variant
    key = wb.Name & "!" & sheetName
    If savedProtection Is Nothing Then Exit Sub
    If Not savedProtection.Exists(key) Then Exit Sub
    f = savedProtection(key)
    wb.Worksheets(sheetName).Protect DrawingObjects:=True, Contents:=True, Scenarios:=True, _
        AllowFormattingCells:=f(0), AllowFormattingColumns:=f(1), AllowFormattingRows:=f(2), _
        AllowInsertingColumns:=f(3), AllowInsertingRows:=f(4), AllowInsertingHyperlinks:=f(5), _
        AllowDeletingColumns:=f(6), AllowDeletingRows:=f(7), AllowSorting:=f(8), _
        AllowFiltering:=f(9), AllowUsingPivotTables:=f(10)
    savedProtection.Remove key
End Sub

' The layout of a sheet xlplan writes (a report sheet, the check results; the mark
' colours of an input sheet): one operation per line, fields separated by tabs, as
' xlplan.engines.excel.spec writes them (OPS there lists them). Done here, inside Excel,
' so that Python makes one call per sheet however many rows there are.
'
' Excel's state (DisplayAlerts, the active sheet) is put back on every way out: a
' failing operation restores it and raises the same error again for Python, so that
' Excel is not left without its warnings after a call from another process.
Public Sub XlplanApplyLayout(wb As Workbook, sheetName As String, spec As String)
    Dim ws As Worksheet, ops() As String, f() As String, i As Long, alerts As Boolean
    Dim errNumber As Long, errSource As String, errText As String, before As Object
    alerts = Application.DisplayAlerts
    Set before = ActiveSheet
    On Error GoTo failed
    Set ws = wb.Worksheets(sheetName)
    Application.DisplayAlerts = False
    ops = Split(spec, vbLf)
    For i = LBound(ops) To UBound(ops)
        If Len(ops(i)) > 0 Then
            f = Split(ops(i), vbTab)
            Select Case f(0)
            Case "F": LayoutFormat ws.Range(f(1)), f
            Case "M": ws.Range(f(1)).Merge
            Case "H": ws.Rows(CLng(f(1))).RowHeight = Val(f(2))
            Case "W": ws.Columns(CLng(f(1))).ColumnWidth = Val(f(2))
            Case "S": LayoutPage ws, f
            Case "V": LayoutView ws, f
            Case "L"
                ws.Hyperlinks.Add Anchor:=ws.Range(f(1)), Address:="", SubAddress:=f(2), _
                    TextToDisplay:=CStr(ws.Range(f(1)).Value)
            Case "A"
                If ws.AutoFilterMode Then ws.AutoFilterMode = False
                ws.Range(f(1)).AutoFilter
            Case "C": LayoutChart ws, f
            Case Else
                Err.Raise vbObjectError + 601, "XlplanApplyLayout", "unknown layout operation: " & f(0)
            End Select
        End If
    Next i
    Application.DisplayAlerts = alerts
    If Not before Is Nothing Then before.Activate
    Exit Sub
failed:
    errNumber = Err.Number
    errSource = Err.Source
    errText = Err.Description
    Application.DisplayAlerts = alerts
    On Error Resume Next
    If Not before Is Nothing Then before.Activate
    On Error GoTo 0
    Err.Raise errNumber, errSource, errText
End Sub

' F <range> key=value...: fn font name, fs size, b bold, fc font colour, fl fill,
' ha/va alignment, w wrap, v stacked (vertical) text, bd thin borders, nf number format.
Private Sub LayoutFormat(rng As Range, f() As String)
    Dim j As Long, key As String, v As String, p As Long
    For j = 2 To UBound(f)
        p = InStr(f(j), "=")
        key = Left$(f(j), p - 1)
        v = Mid$(f(j), p + 1)
        Select Case key
        Case "fn": rng.Font.Name = v
        Case "fs": rng.Font.Size = Val(v)
        Case "b": rng.Font.Bold = (v = "1")
        Case "fc": rng.Font.Color = HexColor(v)
        Case "fl": rng.Interior.Color = HexColor(v)
        Case "ha"
            If v = "left" Then
                rng.HorizontalAlignment = xlLeft
            ElseIf v = "right" Then
                rng.HorizontalAlignment = xlRight
            Else
                rng.HorizontalAlignment = xlCenter
            End If
        Case "va"
            If v = "top" Then
                rng.VerticalAlignment = xlTop
            ElseIf v = "bottom" Then
                rng.VerticalAlignment = xlBottom
            Else
                rng.VerticalAlignment = xlCenter
            End If
        Case "w": rng.WrapText = (v = "1")
        Case "v"
            If v = "1" Then rng.Orientation = xlVertical Else rng.Orientation = xlHorizontal
        Case "bd"
            If v = "1" Then
                rng.Borders.LineStyle = xlContinuous
                rng.Borders.Weight = xlThin
            End If
        Case "nf": rng.NumberFormat = v
        Case Else
            Err.Raise vbObjectError + 603, "XlplanApplyLayout", "unknown format key: " & key
        End Select
    Next j
End Sub

' S paper orientation footer margins(l,r,t,b,header,footer in inches) area title-rows breaks
Private Sub LayoutPage(ws As Worksheet, f() As String)
    Dim m() As String, b() As String, j As Long
    ws.ResetAllPageBreaks
    With ws.PageSetup
        If f(1) = "A3" Then .PaperSize = xlPaperA3 Else .PaperSize = xlPaperA4
        If f(2) = "landscape" Then .Orientation = xlLandscape Else .Orientation = xlPortrait
        .Zoom = False
        .FitToPagesWide = 1
        .FitToPagesTall = False
        .CenterHorizontally = True
        .FirstPageNumber = 1
        If Len(f(3)) > 0 Then .CenterFooter = f(3)
        If Len(f(4)) > 0 Then
            m = Split(f(4), ",")
            .LeftMargin = Application.InchesToPoints(Val(m(0)))
            .RightMargin = Application.InchesToPoints(Val(m(1)))
            .TopMargin = Application.InchesToPoints(Val(m(2)))
            .BottomMargin = Application.InchesToPoints(Val(m(3)))
            .HeaderMargin = Application.InchesToPoints(Val(m(4)))
            .FooterMargin = Application.InchesToPoints(Val(m(5)))
        End If
        If Len(f(5)) > 0 Then .PrintArea = f(5)
        If Len(f(6)) > 0 Then .PrintTitleRows = "$" & Replace(f(6), ":", ":$")
    End With
    If Len(f(7)) > 0 Then
        b = Split(f(7), ",")
        For j = LBound(b) To UBound(b)
            ws.HPageBreaks.Add Before:=ws.Rows(CLng(b(j)) + 1)
        Next j
    End If
End Sub

' V freeze-cell zoom tab-colour (any may be empty). Freezing and zooming act on a window,
' so the sheet is shown for a moment; XlplanApplyLayout shows the earlier sheet again.
Private Sub LayoutView(ws As Worksheet, f() As String)
    If Len(f(3)) > 0 Then ws.Tab.Color = HexColor(f(3))
    If Len(f(1)) = 0 And Len(f(2)) = 0 Then Exit Sub
    If ws.Visible <> xlSheetVisible Then Exit Sub
    ws.Activate
    With ActiveWindow
        If Len(f(1)) > 0 Then
            .FreezePanes = False
            .ScrollRow = 1
            .ScrollColumn = 1
            ws.Range(f(1)).Select
            .FreezePanes = True
            ws.Range("A1").Select
        End If
        If Len(f(2)) > 0 Then .Zoom = CLng(f(2))
    End With
End Sub

' C anchor title axis-title categories width-cm height-cm (name values fill line)...: a
' stacked bar chart; the sheet's earlier charts are removed first.
Private Sub LayoutChart(ws As Worksheet, f() As String)
    Dim co As ChartObject, j As Long, s As Series
    For Each co In ws.ChartObjects
        co.Delete
    Next co
    Set co = ws.ChartObjects.Add(ws.Range(f(1)).Left, ws.Range(f(1)).Top, _
        Application.CentimetersToPoints(Val(f(5))), Application.CentimetersToPoints(Val(f(6))))
    With co.Chart
        .ChartType = xlBarStacked
        .HasTitle = True
        .ChartTitle.Text = f(2)
        For j = 7 To UBound(f) - 3 Step 4
            Set s = .SeriesCollection.NewSeries
            s.Name = "='" & Replace(ws.Name, "'", "''") & "'!" & f(j)
            s.Values = ws.Range(f(j + 1))
            s.XValues = ws.Range(f(4))
            s.Format.Fill.ForeColor.RGB = HexColor(f(j + 2))
            s.Format.Line.ForeColor.RGB = HexColor(f(j + 3))
        Next j
        .Axes(xlCategory).ReversePlotOrder = True
        .Axes(xlValue).HasTitle = True
        .Axes(xlValue).AxisTitle.Text = f(3)
        .Axes(xlValue).HasMajorGridlines = False
    End With
End Sub

' ---------------------------------------------------------------- the probe

' What Python cannot see in the values alone, for every worksheet: hidden state,
' protection (and whether a password is set), merged ranges, formulas and the number
' formats of cells holding numbers or dates (0.5 shown as 50% was typed 50%). As JSON,
' ASCII only (\uXXXX for everything else), read by xlplan.engines.excel.parse_probe;
' the desktop engine calls this, the server path sends it in the X-Xlplan-Probe header.
Public Function XlplanProbe(wb As Workbook) As String
    Dim ws As Worksheet, out As String, sep As String
    out = "{""v"":" & PROBE_VERSION & ",""sheets"":["
    For Each ws In wb.Worksheets
        out = out & sep & ProbeSheet(ws)
        sep = ","
    Next ws
    XlplanProbe = out & "]}"
End Function

Private Function ProbeSheet(ws As Worksheet) As String
    Dim state As String, pwd As Boolean
    Select Case ws.Visible
    Case xlSheetVisible: state = "visible"
    Case xlSheetVeryHidden: state = "veryHidden"
    Case Else: state = "hidden"
    End Select
    If ws.ProtectContents Then pwd = HasPassword(ws)
    ProbeSheet = "{""name"":" & JsonText(ws.Name) & ",""state"":""" & state & """" & _
        ",""kind"":""worksheet"",""protected"":" & LCase$(CStr(ws.ProtectContents)) & _
        ",""password"":" & LCase$(CStr(pwd)) & _
        ",""merged"":[" & ProbeMerged(ws) & "]" & _
        ",""formulas"":[" & ProbeCells(ws, True) & "]" & _
        ",""formats"":[" & ProbeCells(ws, False) & "]}"
End Function

' True when the sheet cannot be unprotected without a password. The sheet is protected
' again at once, with the permissions it had.
Private Function HasPassword(ws As Worksheet) As Boolean
    Dim f As Variant
    With ws.Protection
        f = Array(.AllowFormattingCells, .AllowFormattingColumns, .AllowFormattingRows, _
            .AllowInsertingColumns, .AllowInsertingRows, .AllowInsertingHyperlinks, _
            .AllowDeletingColumns, .AllowDeletingRows, .AllowSorting, .AllowFiltering, _
            .AllowUsingPivotTables)
    End With
    On Error GoTo locked
    ws.Unprotect Password:=""
    On Error GoTo 0
    ws.Protect DrawingObjects:=True, Contents:=True, Scenarios:=True, _
        AllowFormattingCells:=f(0), AllowFormattingColumns:=f(1), AllowFormattingRows:=f(2), _
        AllowInsertingColumns:=f(3), AllowInsertingRows:=f(4), AllowInsertingHyperlinks:=f(5), _
        AllowDeletingColumns:=f(6), AllowDeletingRows:=f(7), AllowSorting:=f(8), _
        AllowFiltering:=f(9), AllowUsingPivotTables:=f(10)
    HasPassword = False
    Exit Function
locked:
    HasPassword = True
End Function

Private Function ProbeMerged(ws As Worksheet) As String
    Dim c As Range, out As String, sep As String, n As Long, used As Range
    Set used = ws.UsedRange
    If used.Cells.CountLarge > 1000000 Then Exit Function ' a slip far away: not walked
    If Not IsNull(used.MergeCells) Then
        If Not used.MergeCells Then Exit Function
    End If
    For Each c In used.Cells
        If c.MergeCells Then
            If c.Address = c.MergeArea.Cells(1, 1).Address Then
                out = out & sep & JsonText(c.MergeArea.Address(False, False))
                sep = ","
                n = n + 1
                If n >= PROBE_LIMIT Then Exit For
            End If
        End If
    Next c
    ProbeMerged = out
End Function

' Formula cells (formulas:=True), or cells holding numbers with a format other than
' General or text (formulas:=False), as [address, text] pairs.
Private Function ProbeCells(ws As Worksheet, formulas As Boolean) As String
    Dim found As Range, c As Range, out As String, sep As String, n As Long, fmt As String
    On Error Resume Next
    If formulas Then
        Set found = ws.UsedRange.SpecialCells(xlCellTypeFormulas)
    Else
        Set found = ws.UsedRange.SpecialCells(xlCellTypeConstants, xlNumbers)
    End If
    On Error GoTo 0
    If found Is Nothing Then Exit Function
    For Each c In found.Cells
        fmt = CStr(c.NumberFormat)
        If formulas Then
            out = out & sep & "[" & JsonText(c.Address(False, False)) & "," & JsonText(CStr(c.Formula)) & "]"
            sep = ","
            n = n + 1
        ElseIf fmt <> "General" And fmt <> "@" Then
            out = out & sep & "[" & JsonText(c.Address(False, False)) & "," & JsonText(fmt) & "]"
            sep = ","
            n = n + 1
        End If
        If n >= PROBE_LIMIT Then Exit For
    Next c
    ProbeCells = out
End Function

' A JSON string, ASCII only: every other character as \uXXXX.
Private Function JsonText(text As String) As String
    Dim i As Long, ch As Long, out As String
    out = """"
    For i = 1 To Len(text)
        ch = AscW(Mid$(text, i, 1)) And &HFFFF&
        If ch = 34 Then
            out = out & "\"""
        ElseIf ch = 92 Then
            out = out & "\\"
        ElseIf ch < 32 Or ch > 126 Then
            out = out & "\u" & Right$("000" & Hex$(ch), 4)
        Else
            out = out & ChrW$(ch)
        End If
    Next i
    JsonText = out & """"
End Function

' ---------------------------------------------------------------- helpers

Private Function AddinSetting(key As String) As String
    ' Column A holds the key, column B the value, on this add-in's own settings sheet.
    Dim ws As Worksheet, r As Long
    On Error GoTo missing
    Set ws = ThisWorkbook.Worksheets(CONF_SHEET)
    On Error GoTo 0
    For r = 1 To ws.Cells(ws.Rows.Count, 1).End(xlUp).Row
        If UCase$(Trim$(CStr(ws.Cells(r, 1).Value))) = UCase$(key) Then
            AddinSetting = Trim$(CStr(ws.Cells(r, 2).Value))
            Exit Function
        End If
    Next r
missing:
    AddinSetting = ""
End Function

Private Function Ja(codes As String) As String
    Dim parts() As String, i As Long, s As String
    parts = Split(codes, " ")
    For i = LBound(parts) To UBound(parts)
        s = s & ChrW$(CLng("&H" & parts(i)))
    Next i
    Ja = s
End Function

Private Function HexColor(rrggbb As String) As Long
    HexColor = RGB(CLng("&H" & Mid$(rrggbb, 1, 2)), CLng("&H" & Mid$(rrggbb, 3, 2)), _
                   CLng("&H" & Mid$(rrggbb, 5, 2)))
End Function

Private Function ParentFolder(path As String) As String
    ParentFolder = Left$(path, InStrRev(path, "\") - 1)
End Function

Private Function LogTail(text As String, maxLen As Long) As String
    ' The last maxLen characters, from the start of a line where one begins near there.
    Dim tail As String, cut As Long
    If Len(text) <= maxLen Then
        LogTail = text
        Exit Function
    End If
    tail = Right$(text, maxLen)
    cut = InStr(tail, vbLf)
    If cut > 0 And cut < maxLen \ 4 Then tail = Mid$(tail, cut + 1)
    LogTail = "..." & vbLf & tail
End Function

Private Function ReadText(path As String) As String
    On Error GoTo failed
    ReadText = CreateObject("Scripting.FileSystemObject").OpenTextFile(path, 1).ReadAll
    Exit Function
failed:
    ReadText = "(no log: " & path & ")"
End Function
