; shelterdesk.nsi: the Windows installer (NSIS), made by build.sh.
;   makensis -DVERSION=0.1.0 -DTREE=build-win64/stage/ShelterDesk -DOUT=…-setup.exe shelterdesk.nsi
;
; Installs the desk, the CLI and everything they need into
; Program Files\ShelterDesk, with a Start-menu entry and an uninstaller.
; A site's records live in %PROGRAMDATA%\ShelterDesk (made private by the
; desk itself, for the kiosk's own account, on first use): the installer
; never writes there and the uninstaller never removes it.
; SPDX-License-Identifier: GPL-3.0-or-later

; A 64-bit installer for a 64-bit program (and one that Wine's 64-bit
; build runs, for the tests).
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!include "MUI2.nsh"

Name "ShelterDesk ${VERSION}"
OutFile "${OUT}"
InstallDir "$PROGRAMFILES64\ShelterDesk"
InstallDirRegKey HKLM "Software\ShelterDesk" "InstallDir"
BrandingText "ShelterDesk ${VERSION}"

!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\ShelterDesk"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
; Japanese first, as the desk is.
!insertmacro MUI_LANGUAGE "Japanese"
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  SetRegView 64
FunctionEnd

Section "ShelterDesk" main
  SectionIn RO
  SetShellVarContext all
  ; An older version's files go first; the site's records are elsewhere.
  RMDir /r "$INSTDIR\bin"
  RMDir /r "$INSTDIR\share"
  RMDir /r "$INSTDIR\etc"
  SetOutPath "$INSTDIR"
  File /r "${TREE}\*.*"

  CreateDirectory "$SMPROGRAMS\ShelterDesk"
  CreateShortcut "$SMPROGRAMS\ShelterDesk\ShelterDesk 避難所デスク.lnk" "$INSTDIR\bin\shelterdesk.exe" "" \
    "$INSTDIR\bin\shelterdesk.exe" 0 SW_SHOWMAXIMIZED "" "ShelterDesk: shelter intake, check-in and reports"
  CreateShortcut "$SMPROGRAMS\ShelterDesk\Uninstall ShelterDesk.lnk" "$INSTDIR\uninstall.exe"

  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "Software\ShelterDesk" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "ShelterDesk (避難所デスク)"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "The ShelterDesk authors"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

Section "Uninstall"
  SetShellVarContext all
  ; Only what the installer put there: the site's records in
  ; %PROGRAMDATA%\ShelterDesk stay, so a reinstall finds them.
  RMDir /r "$INSTDIR\bin"
  RMDir /r "$INSTDIR\share"
  RMDir /r "$INSTDIR\etc"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  RMDir /r "$SMPROGRAMS\ShelterDesk"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DeleteRegKey HKLM "Software\ShelterDesk"
SectionEnd
