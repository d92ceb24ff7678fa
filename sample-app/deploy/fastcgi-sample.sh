#!/bin/sh
# Started by lighttpd (bin-path) or spawn-fcgi with the listening socket as file descriptor 0.
# exec: the JVM must be the process they started, so that their SIGTERM reaches it.
# lighttpd gives its children /dev/null as stdout: keep the output in a log.
exec "@JAVA@" -jar "@JAR@" --fastcgi.socket=fd:0 "$@" >>"@DIR@/logs/app.log" 2>&1
