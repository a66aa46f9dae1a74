[% extends "pyapp_msvcrt.nsi" %]
[#
  城管绩效台's installer: pynsist's template with Chinese pages, a per-user install by default (no admin rights;
  MultiUser's install-mode page still offers all users to an administrator) and the command line on PATH as an
  optional component. Silent: setup.exe /S /CurrentUser /INSTDIR=D:\Apps\城管绩效台
#]

[% block modernui %]
!include "MUI2.nsh"
!define MUI_ABORTWARNING
!define MUI_ICON "[[icon]]"
!define MUI_UNICON "[[icon]]"
!define MUI_WELCOMEPAGE_TITLE "欢迎安装 ${PRODUCT_NAME} ${PRODUCT_VERSION}"
!define MUI_WELCOMEPAGE_TEXT "城管绩效台：导入智慧城管平台的案件导出，生成月度通报数字，按规则为处置单位评分并导出 Excel。$\r$\n$\r$\n默认只为当前用户安装，不需要管理员权限。数据库保存在 %LOCALAPPDATA%\chengguan-console，卸载程序不会删除它。$\r$\n$\r$\n$_CLICK"
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "立即启动 ${PRODUCT_NAME}"
!define MUI_FINISHPAGE_RUN_FUNCTION launch_app

!insertmacro MUI_PAGE_WELCOME
[% if license_file %]
!insertmacro MUI_PAGE_LICENSE [[license_file]]
[% endif %]
!insertmacro MULTIUSER_PAGE_INSTALLMODE
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"
[% endblock modernui %]

[% block install_commands %]
[# the command line goes on PATH only in the optional section below #]
[% endblock install_commands %]

[% block sections %]
[[ super() ]]

[% if has_commands %]
Section "命令行 chengguan 加入 PATH（在 PowerShell / cmd 中直接使用）" sec_path
  SetRegView [[ib.py_bitness]]
  DetailPrint "正在把命令行工具加入 PATH…"
  StrCmp $MultiUser.InstallMode CurrentUser 0 path_all_users
    nsExec::ExecToLog '[[ python ]] -Es "$INSTDIR\_system_path.py" add_user "$INSTDIR\bin"'
    GoTo path_done
  path_all_users:
    nsExec::ExecToLog '[[ python ]] -Es "$INSTDIR\_system_path.py" add "$INSTDIR\bin"'
  path_done:
SectionEnd
[% endif %]

Function launch_app
  ExecShell "" "$SMPROGRAMS\${PRODUCT_NAME}\${PRODUCT_NAME}.lnk"
FunctionEnd
[% endblock sections %]

[% block mouseover_messages %]
  StrCmp $0 ${sec_app} "" +2
    SendMessage $R0 ${WM_SETTEXT} 0 "STR:${PRODUCT_NAME} 程序文件（必需）"
[% endblock mouseover_messages %]
