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
' Every button calls XlplanRun with its tag (check, recompute, render, update, merge).
' The tag goes to Python as xlplan.excel.run('<tag>'), or, when the add-in's SERVER_URL
' setting is filled in, to the xlwings Server endpoint <SERVER_URL>/xlplan/<tag>.
'
' merge (the secretariat's button) first lets the person choose the returned workbooks
' (XlplanMerge). Their paths travel to Python in a list file (UTF-16, one path a line);
' only that file's path is on the command line (--xlplan-paths=), never a chosen name,
' and nothing of it is ever part of the Python code. Merge needs Python on this PC: the
' server cannot read the person's files, so in server mode it only says so.
'
' Security: every setting comes from this add-in's own sheet (ThisWorkbook), never from
' the workbook that is open. Python runs in isolated mode (-I): no PYTHON* environment
' variables, no user site-packages, and neither the current folder nor the workbook's
' folder on sys.path, so a look-alike xlplan.py beside a received workbook is never
' imported. xlwings' own RunPython is deliberately not used: it reads its settings from
' a "<project>.conf" sheet of the active workbook first.
Option Explicit

Private Const CONF_SHEET As String = "xlplan.conf"
Private Const ACTIONS As String = "|check|recompute|render|update|merge|"
Private Const WAIT_ON_RETURN As Boolean = True
Private Const HIDDEN_WINDOW As Integer = 0
' The error box shows the end of Python's log (the exception is its last line): MsgBox
' shows about 1,024 characters, which this, the message and a path stay well below.
Private Const LOG_TAIL As Long = 600

Private Const MSG_TITLE As String = "0049 0043 0054 9032 6357"
Private Const MSG_NO_BOOK As String = "30D6 30C3 30AF 3092 958B 3044 3066 304B 3089 5B9F 884C 3057 3066 304F 3060 3055 3044 3002"
Private Const MSG_UNKNOWN As String = "3053 306E 30DC 30BF 30F3 306B 306F 5BFE 5FDC 3059 308B 51E6 7406 304C 3042 308A 307E 305B 3093 3002"
Private Const MSG_NO_PYTHON As String = "0050 0079 0074 0068 006F 006E 304C 898B 3064 304B 308A 307E 305B 3093 3002 0078 006C 0070 006C 0061 006E 002E 0078 006C 0061 006D 0020 306E 8A2D 5B9A FF08 0049 004E 0054 0045 0052 0050 0052 0045 0054 0045 0052 005F 0057 0049 004E FF09 3092 4E8B 52D9 5C40 306B 78BA 8A8D 3057 3066 304F 3060 3055 3044 3002"
Private Const MSG_FAILED As String = "0050 0079 0074 0068 006F 006E 306E 5B9F 884C 306B 5931 6557 3057 307E 3057 305F 3002 6B21 306E 5185 5BB9 3092 4E8B 52D9 5C40 306B 77E5 3089 305B 3066 304F 3060 3055 3044 3002"
Private Const MSG_LOG As String = "8A18 9332 30D5 30A1 30A4 30EB FF1A"
Private Const MSG_CONF As String = "3053 306E 30D6 30C3 30AF 306B 306F 8A2D 5B9A 30B7 30FC 30C8 FF08 002E 0063 006F 006E 0066 FF09 307E 305F 306F 8A2D 5B9A 30D5 30A1 30A4 30EB 304C 4ED8 3044 3066 3044 308B 305F 3081 3001 5B9F 884C 3092 4E2D 6B62 3057 307E 3057 305F 3002 4E8B 52D9 5C40 306B 78BA 8A8D 3057 3066 304F 3060 3055 3044 3002"
Private Const MSG_MERGE_PICK As String = "53D6 308A 8FBC 3080 8FD4 9001 30D5 30A1 30A4 30EB 3092 9078 3093 3067 304F 3060 3055 3044 FF08 8907 6570 9078 3079 307E 3059 FF09"
Private Const MSG_MERGE_FILTER As String = "0045 0078 0063 0065 006C 0020 30D6 30C3 30AF 0020 0028 002A 002E 0078 006C 0073 0078 003B 002A 002E 0078 006C 0073 006D 0029 002C 002A 002E 0078 006C 0073 0078 003B 002A 002E 0078 006C 0073 006D"
Private Const MSG_MERGE_SERVER As String = "8FD4 9001 30D5 30A1 30A4 30EB 306E 53D6 308A 8FBC 307F 306F 3001 30B5 30FC 30D0 30FC 7D4C 7531 3067 306F 4F7F 3048 307E 305B 3093 FF08 30B5 30FC 30D0 30FC 304B 3089 306F 3053 306E 30D1 30BD 30B3 30F3 306E 30D5 30A1 30A4 30EB 3092 8AAD 3081 307E 305B 3093 FF09 3002 0050 0079 0074 0068 006F 006E 0020 3092 5165 308C 305F 30D1 30BD 30B3 30F3 306E 30A2 30C9 30A4 30F3 3067 5B9F 884C 3059 308B 304B 3001 4E8B 52D9 5C40 306E 30D1 30BD 30B3 30F3 3067 0020 0078 006C 0070 006C 0061 006E 0020 006D 0065 0072 0067 0065 0020 3092 4F7F 3063 3066 304F 3060 3055 3044 3002"

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
    Dim timeout As Long
    ' xlwings' client reads proxy settings through GetConfig, which looks at a conf sheet
    ' or conf file of the active workbook first: refuse such a workbook.
    If CarriesConfig(ActiveWorkbook) Then
        MsgBox Ja(MSG_CONF), vbCritical, Ja(MSG_TITLE)
        Exit Sub
    End If
    timeout = CLng(Val(AddinSetting("TIMEOUT")))
    If timeout <= 0 Then timeout = 60000
    RunServerPython url & "/xlplan/" & action, auth:=AddinSetting("AUTH"), timeout:=timeout, _
        enableAutoProxy:="False", insecure:="False", followRedirects:="False"
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

' Merges, row heights, page breaks and mark colours of a report sheet, one operation per
' line (fields separated by tabs; see LAYOUT_OPS in xlplan/book/xw_book.py). Done here,
' inside Excel, so that Python makes one call per sheet however many rows there are.
'
' Excel's state (DisplayAlerts) is put back on every way out: a failing operation
' restores it and raises the same error again for Python, so that Excel is not left
' without its warnings after a call from another process.
Public Sub XlplanApplyLayout(wb As Workbook, sheetName As String, spec As String)
    Dim ws As Worksheet, ops() As String, f() As String, i As Long, alerts As Boolean
    Dim errNumber As Long, errSource As String, errText As String
    alerts = Application.DisplayAlerts
    On Error GoTo failed
    Set ws = wb.Worksheets(sheetName)
    Application.DisplayAlerts = False
    ops = Split(spec, vbLf)
    For i = LBound(ops) To UBound(ops)
        If Len(ops(i)) > 0 Then
            f = Split(ops(i), vbTab)
            Select Case f(0)
            Case "U": ws.Range(f(1)).UnMerge
            Case "M": ws.Range(f(1)).Merge
            Case "V"
                With ws.Range(f(1))
                    .Orientation = xlVertical
                    .HorizontalAlignment = xlCenter
                    .VerticalAlignment = xlCenter
                End With
            Case "H": ws.Rows(CLng(f(1))).RowHeight = Val(f(2))
            Case "P": ws.ResetAllPageBreaks
            Case "B": ws.HPageBreaks.Add Before:=ws.Rows(CLng(f(1)) + 1)
            Case "K"
                With ws.Range(f(1))
                    .Interior.Color = HexColor(f(2))
                    .Font.Color = HexColor(f(3))
                    .Font.Size = Val(f(4))
                    .Font.Bold = True
                    .HorizontalAlignment = xlCenter
                    .VerticalAlignment = xlCenter
                End With
            Case "C": ws.Range(f(1)).Font.Color = HexColor(f(2))
            Case "G"
                With ws.Range(f(1))
                    .Borders.LineStyle = xlContinuous
                    .Borders.Weight = xlThin
                    .WrapText = True
                End With
            Case "L": ws.Range(f(1)).Interior.Color = HexColor(f(2))
            Case "F"
                ws.Range(f(1)).Font.Size = Val(f(2))
                ws.Range(f(1)).Font.Bold = (f(3) = "1")
            Case "N": ws.Range(f(1)).NumberFormat = f(2)
            Case "A": ws.PageSetup.PrintArea = f(1)
            Case "W": ws.Columns(CLng(f(1))).ColumnWidth = Val(f(2))
            Case "T": ws.PageSetup.PrintTitleRows = f(1)
            Case "O": ws.PageSetup.CenterFooter = f(1)
            Case "S"
                With ws.PageSetup
                    If f(1) = "A3" Then .PaperSize = xlPaperA3 Else .PaperSize = xlPaperA4
                    If f(2) = "landscape" Then .Orientation = xlLandscape Else .Orientation = xlPortrait
                    .Zoom = False
                    .FitToPagesWide = 1
                    .FitToPagesTall = False
                End With
            Case Else
                Err.Raise vbObjectError + 601, "XlplanApplyLayout", "unknown layout operation: " & f(0)
            End Select
        End If
    Next i
    Application.DisplayAlerts = alerts
    Exit Sub
failed:
    errNumber = Err.Number
    errSource = Err.Source
    errText = Err.Description
    Application.DisplayAlerts = alerts
    Err.Raise errNumber, errSource, errText
End Sub

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
