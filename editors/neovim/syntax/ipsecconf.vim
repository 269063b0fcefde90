" Highlighting for Libreswan's ipsec.conf without the language server
" (the same rules as the VS Code grammar, editors/vscode/syntaxes).
if exists('b:current_syntax')
  finish
endif

syntax match ipsecconfStray /^\S.*$/
syntax match ipsecconfVersion /^version\ze\(\s\|$\)/ nextgroup=ipsecconfNumber skipwhite
syntax match ipsecconfInclude /^include\ze\(\s\|$\)/ nextgroup=ipsecconfPath,ipsecconfString skipwhite
syntax match ipsecconfSection /^\(conn\|config\)\ze\(\s\|$\)/ nextgroup=ipsecconfDefault,ipsecconfName skipwhite
syntax match ipsecconfName /\S\+/ contained
syntax match ipsecconfDefault /%default\>/ contained
syntax match ipsecconfPath /\S\+/ contained
syntax match ipsecconfNumber /\<\d\+\(\.\d\+\)*[smhd]\?\>/ contained
syntax match ipsecconfKey /^\s\+\zs[^ \t=#]\+\ze\s*=/ contains=ipsecconfSide nextgroup=ipsecconfEquals skipwhite
syntax match ipsecconfSide /\<\(left\|right\)/ contained
" x-/x_ keys: libreswan keeps the rest of the line, `#` included, as the value.
syntax match ipsecconfUserKey /^\s\+\zs[xX][-_][^ \t=]*\ze\s*=/ nextgroup=ipsecconfUserEquals skipwhite
syntax match ipsecconfUserEquals /=/ contained nextgroup=ipsecconfUserValue
syntax match ipsecconfUserValue /.*$/ contained
syntax match ipsecconfEquals /=/ contained nextgroup=ipsecconfValue skipwhite
syntax match ipsecconfValue /.*$/ contained contains=ipsecconfMagic,ipsecconfString,ipsecconfBraced,ipsecconfBoolean,ipsecconfNumber,ipsecconfAddress,ipsecconfComment
syntax match ipsecconfMagic /%[A-Za-z0-9_-]\+/ contained
syntax match ipsecconfAddress /\<\d\{1,3}\(\.\d\{1,3}\)\{3}\(\/\d\{1,2}\)\?\>/ contained
syntax match ipsecconfBoolean /\<\(yes\|no\)\>/ contained
syntax region ipsecconfString start=/"/ end=/"\|$/ contained oneline contains=ipsecconfMagic
syntax region ipsecconfBraced start=/{/ end=/}\|$/ contained oneline
" `#` starts a comment at the start of a line or after white space, never inside a word.
syntax match ipsecconfComment /\(^\|\s\)\zs#.*$/

highlight default link ipsecconfStray Error
highlight default link ipsecconfVersion Keyword
highlight default link ipsecconfInclude Include
highlight default link ipsecconfSection Keyword
highlight default link ipsecconfName Function
highlight default link ipsecconfDefault Constant
highlight default link ipsecconfPath String
highlight default link ipsecconfNumber Number
highlight default link ipsecconfKey Identifier
highlight default link ipsecconfSide Type
highlight default link ipsecconfUserKey Identifier
highlight default link ipsecconfUserEquals Operator
highlight default link ipsecconfUserValue String
highlight default link ipsecconfAddress Number
highlight default link ipsecconfEquals Operator
highlight default link ipsecconfMagic Constant
highlight default link ipsecconfBoolean Boolean
highlight default link ipsecconfString String
highlight default link ipsecconfBraced String
highlight default link ipsecconfComment Comment

let b:current_syntax = 'ipsecconf'
