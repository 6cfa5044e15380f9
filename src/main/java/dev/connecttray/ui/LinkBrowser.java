package dev.connecttray.ui;

import dev.connecttray.tray.FolderOpener;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

/** Opens a web page in the desktop's browser ({@link FolderOpener#browse}); a seam for tests. */
@FunctionalInterface
public interface LinkBrowser {
    /** Returns at once; completes once the browser was asked, with whether that worked. */
    CompletableFuture<FolderOpener.LinkOutcome> browse(URI link);
}
