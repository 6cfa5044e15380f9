package dev.connecttray.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * What went wrong with a file or folder, in the operating system's words, and what a person can do
 * about it. The JDK's file exceptions carry only the path as their message ("Permission denied"
 * is lost in an {@link AccessDeniedException}); these put the words back.
 */
public final class FileProblems {
    static final String PERMISSION_DENIED = "Permission denied";
    static final String READ_ONLY = "Read-only file system";
    static final String NO_SPACE = "No space left on device";

    private FileProblems() {
    }

    /** The OS's reason: "Permission denied", "Read-only file system", "No space left on device", … */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException a && a.getReason() == null) return PERMISSION_DENIED;
        if (e instanceof NoSuchFileException n && n.getReason() == null) return "No such file or directory";
        if (e instanceof NotDirectoryException n && n.getReason() == null) return "Not a directory";
        if (e instanceof FileAlreadyExistsException f && f.getReason() == null) return "File exists";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** "{file}: {reason}" where the exception names a file, else the reason alone. */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) return f.getFile() + ": " + reason(e);
        return reason(e);
    }

    /**
     * What to do about a state folder (the instance lock, the device id, the history, the logs)
     * that cannot be written.
     */
    public static String whatToDoWithStateFolder(Path stateDir, IOException e) {
        String reason = reason(e);
        String elsewhere = "or set XDG_STATE_HOME to a folder you can write to";
        if (reason.equals(PERMISSION_DENIED) || reason.startsWith("Operation not permitted")) {
            String user = System.getProperty("user.name", "this user");
            return "Connect Tray runs as the user " + user + ", who cannot write there: give that user the folder "
                    + "(sudo chown -R " + user + " " + stateDir + "; chmod u+rwx " + stateDir + "), " + elsewhere + ".";
        }
        if (reason.equals(READ_ONLY)) {
            return "The folder is on a read-only file system: mount it read-write, " + elsewhere + " on a writable disk.";
        }
        if (reason.equals(NO_SPACE) || reason.startsWith("Disk quota exceeded")) {
            return "The disk is full: free some space on it, " + elsewhere + " on another disk.";
        }
        return "Check that the folder exists, is a folder, and that you can write to it, " + elsewhere + ".";
    }
}
