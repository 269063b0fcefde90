" Libreswan's ipsec.conf, the files it includes from ipsec.d/, and *.ipsec.conf.
" `set filetype` (not `setf`) so these win over the generic `conf` type.
autocmd BufRead,BufNewFile ipsec.conf,*/ipsec.d/*.conf,*.ipsec.conf set filetype=ipsecconf
