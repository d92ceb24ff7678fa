#!/bin/sh
# spawn-fcgi creates the socket, gives it to the web server's user and starts the application
# with it as file descriptor 0 (fastcgi.socket=fd:0), as lighttpd's bin-path would.
#   -n: stay in the foreground, for a supervisor (runit, s6, a container); drop it to daemonise.
#   -u/-g: the application's user; -U/-G/-M: owner and mode of the socket.
set -eu
exec spawn-fcgi -n -s /run/fastcgi-sample/app.sock -M 0660 -U www-data -G www-data \
	-u fastcgi-sample -g fastcgi-sample \
	-- /usr/bin/java -jar /opt/fastcgi-sample/sample-app.jar --fastcgi.socket=fd:0
