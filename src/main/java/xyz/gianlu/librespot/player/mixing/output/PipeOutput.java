package xyz.gianlu.librespot.player.mixing.output;

import dev.connecttray.receiver.spotify.ReplacesLibraryClass;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code "output": "pipe"} audio sink: raw PCM into a named pipe (created with {@code mkfifo}
 * when the path does not exist yet), opened on the first write. Takes the place of librespot-java
 * 1.6.3's class, whose {@link #close()} assumed the pipe had been opened: every session that ended
 * before anything was played (a reconnect, a dropped connection, quitting) logged a
 * NullPointerException from the audio thread. Here closing an unopened sink does nothing; the rest
 * behaves as the library's did.
 */
@ReplacesLibraryClass("close() threw NullPointerException when nothing had been written")
public final class PipeOutput implements SinkOutput {
    private static final Logger LOG = LoggerFactory.getLogger(PipeOutput.class);

    private final File file;
    /** Opened on the first write: opening a FIFO for writing waits for its reader. */
    private OutputStream stream;

    public PipeOutput(File file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        if (stream == null) {
            if (!file.exists()) {
                makeFifo();
            }
            stream = new FileOutputStream(file);
        }
        stream.write(buffer, offset, length);
    }

    private void makeFifo() throws IOException {
        try {
            Process mkfifo = new ProcessBuilder("mkfifo", file.getAbsolutePath())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            int status = mkfifo.waitFor();
            if (status == 0) {
                LOG.info("Created pipe: {}", file);
            } else {
                LOG.warn("Failed creating pipe! {exit: {}}", status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        OutputStream open = stream;
        stream = null;
        if (open != null) {
            open.close();
        }
    }
}
