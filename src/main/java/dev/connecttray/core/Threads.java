package dev.connecttray.core;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every thread the program starts comes from here, named after what owns it (so a thread dump or
 * a log line says whose it is). All are daemons: the program's end is decided in one place (the
 * exit status, {@code ProcessExit}), never by a thread still running.
 */
public final class Threads {
    private Threads() {
    }

    /** A daemon thread named {@code name} that runs {@code task}, not started yet. */
    public static Thread named(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        return t;
    }

    /** Runs {@code task} on a daemon thread named {@code name}, started now. */
    public static Thread start(String name, Runnable task) {
        Thread t = named(name, task);
        t.start();
        return t;
    }

    /** Daemon threads all named {@code name}: for an executor with a single thread. */
    public static ThreadFactory factory(String name) {
        return task -> named(name, task);
    }

    /** Daemon threads named {@code prefix-1}, {@code prefix-2}, and so on. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return task -> named(prefix + "-" + number.incrementAndGet(), task);
    }
}
