#!/bin/sh
# Connect Tray's launcher on Linux: bin/connect-tray of the app image (installer/linux/install-launcher.sh
# puts it there in place of jpackage's). It starts the image's Java runtime the way jpackage's
# launcher does, from the same settings file, lib/app/connect-tray.cfg: the class path, the main
# class and the java-options, $APPDIR being lib/app, plus -Djpackage.app-path (this file). Keys of
# jpackage's that jpackage.cfg does not use (a main module, a module path, another runtime, a splash
# screen, default arguments) stop it with a message instead of being ignored.
#
# Why not jpackage's launcher: the one of JDK 17 (and of later JDKs too) asks the package manager
# who owns it, `rpm -qf` and `dpkg -S`, twice, at every start, before Java starts; `dpkg -S` reads
# the file list of every installed package, which on a desktop takes a good part of a second
# (bench/RESULTS.md). The answer only moves where jpackage looks for its settings, and this
# launcher knows where they are: next to it.
#
# The process is the runtime's own `java` under the name connect-tray (a link, so that ps, top and
# the system monitor show connect-tray), and it replaces this shell (exec): the process a desktop or
# systemd starts is the JVM itself (Type=notify, NotifyAccess=main).
set -e
self=$(readlink -f -- "$0")
image=${self%/bin/*}
app=$image/lib/app
cfg=$app/connect-tray.cfg
java=$image/lib/runtime/bin/connect-tray
if [ ! -r "$cfg" ] || [ ! -x "$java" ]; then
    echo "connect-tray: the app image at $image is incomplete ($cfg or $java is missing); reinstall it" >&2
    exit 70
fi

# $APPDIR anywhere in a value, as jpackage expands it; the result in $expanded.
expand() {
    expanded=
    rest=$1
    while :; do
        case $rest in
            *'$APPDIR'*)
                expanded=$expanded${rest%%'$APPDIR'*}$app
                rest=${rest#*'$APPDIR'}
                ;;
            *) break ;;
        esac
    done
    expanded=$expanded$rest
}

# The user's arguments stay at the front of "$@" while the Java ones are appended; at the end the
# user's move behind them (POSIX sh has no arrays).
count=$#
classpath=
mainclass=
while IFS= read -r line || [ -n "$line" ]; do
    case $line in
        app.classpath=*)
            expand "${line#app.classpath=}"
            classpath=${classpath:+$classpath:}$expanded
            ;;
        app.mainclass=*) mainclass=${line#app.mainclass=} ;;
        # What jpackage.cfg does not use, and this launcher therefore does not do: said, not ignored.
        app.mainmodule=* | app.modulepath=* | app.runtime=* | app.splash=* | arguments=*)
            echo "connect-tray: $cfg sets ${line%%=*}, which this launcher does not support (installer/linux/launcher.sh)" >&2
            exit 70
            ;;
        java-options=*)
            expand "${line#java-options=}"
            set -- "$@" "$expanded"
            ;;
    esac
done < "$cfg"
if [ -z "$mainclass" ]; then
    echo "connect-tray: $cfg names no app.mainclass; reinstall the app" >&2
    exit 70
fi
set -- "$@" -classpath "$classpath" "-Djpackage.app-path=$self" "$mainclass"
while [ "$count" -gt 0 ]; do
    set -- "$@" "$1"
    shift
    count=$((count - 1))
done
exec "$java" "$@"
