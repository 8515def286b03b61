# $1 is 0 when the package is removed, 1 when it is upgraded (the link is then kept).
if [ "$1" = 0 ]; then rm -f /usr/bin/wijkkompas; fi
